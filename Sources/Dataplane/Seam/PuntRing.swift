import SwitchTypes
import Synchronization

/// The punt path's single-producer/single-consumer ring: the forwarding thread
/// copies each punted frame into a preallocated slot; the control plane reads
/// them on its own thread. The producer never waits: when every slot is taken
/// the frame is refused (the pipeline counts `punt-overflow`).
///
/// One producer (the thread owning the pipeline) and one consumer at a time:
/// consumers are serialised by a lock only they take, so two control-plane
/// threads cannot read the same slot, and the producer never sees that lock.
public final class PuntRing: Sendable {
    /// Slots in a ring unless the pipeline is told otherwise.
    public static let defaultCapacity = 256

    private let slots: FrameSlots
    /// Next slot the producer writes (only the producer stores it).
    private let tail = Atomic<Int>(0)
    /// Next slot the consumer reads (only the consumer stores it).
    private let head = Atomic<Int>(0)
    private let consumer = Mutex<Void>(())

    /// Frames the ring holds at most (a power of two).
    public var capacity: Int { slots.count }

    /// A ring of `capacity` slots (rounded up to a power of two).
    public init(capacity: Int = PuntRing.defaultCapacity) {
        var rounded = 1
        while rounded < max(1, capacity) { rounded <<= 1 }
        slots = FrameSlots(count: rounded)
    }

    /// Copies a frame into the next slot (producer only).
    /// - Returns: false, having copied nothing, when the ring is full or the frame
    ///   is longer than a slot (`FrameSlots.frameCapacity`).
    @inline(__always)
    func push(_ frame: UnsafeRawBufferPointer, port: Int, time: Timestamp) -> Bool {
        let tail = self.tail.load(ordering: .relaxed)
        guard tail &- head.load(ordering: .acquiring) < slots.count, frame.count <= FrameSlots.frameCapacity else {
            return false
        }
        slots.write(frame, port: port, time: time, at: tail)
        self.tail.store(tail &+ 1, ordering: .releasing)
        return true
    }

    /// Frames waiting to be read.
    public var count: Int { tail.load(ordering: .acquiring) &- head.load(ordering: .acquiring) }

    /// Hands up to `limit` waiting frames, oldest first, to `body`, then frees their slots.
    /// Never makes the forwarding thread wait; may wait for another consumer.
    /// `body` must not read the ring itself (consumers are serialised by a lock).
    /// - Returns: how many frames `body` was given.
    @discardableResult
    public func receive(limit: Int = .max, _ body: (PuntedFrame) -> Void) -> Int {
        consumer.withLock { _ in
            let head = self.head.load(ordering: .relaxed)
            let available = min(limit, tail.load(ordering: .acquiring) &- head)
            for index in 0..<max(0, available) {
                let slot = slots.read(at: head &+ index)
                body(PuntedFrame(port: slot.port, time: slot.time, bytes: slot.frame))
                // The slot is the producer's again only once `body` is done with it.
                self.head.store(head &+ index &+ 1, ordering: .releasing)
            }
            return max(0, available)
        }
    }
}
