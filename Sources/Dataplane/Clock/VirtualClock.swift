import SwitchTypes
import Synchronization

/// A clock that only moves when told to: tests warp it to exercise ageing, and
/// pcap replay sets it to each frame's capture timestamp.
public final class VirtualClock: DataplaneClock {
    // One atomic word: readers on the forwarding thread never block the writer.
    private let current: Atomic<Int64>

    /// Creates a clock reading `start`.
    public init(start: Timestamp = Timestamp(nanoseconds: 0)) {
        current = Atomic(start.nanoseconds)
    }

    /// The time last set.
    public func now() -> Timestamp { Timestamp(nanoseconds: current.load(ordering: .acquiring)) }

    /// Sets the time. Going backwards is allowed (a replayed capture may be unordered),
    /// though the MAC table never treats an entry as seen in the future.
    public func set(_ time: Timestamp) { current.store(time.nanoseconds, ordering: .releasing) }

    /// Moves the time forward by `seconds`.
    public func advance(seconds: Double) {
        current.add(Int64(seconds * 1e9), ordering: .acquiringAndReleasing)
    }
}
