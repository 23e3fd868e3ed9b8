import SwitchTypes
import Synchronization

/// The inject path's queue: control-plane threads hand frames for one port to
/// the engine; the thread owning the pipeline drains them between batches.
///
/// Many producers, one consumer. Producers serialise among themselves with a
/// lock the consumer never takes, so the forwarding thread never waits: it
/// reads the published tail, sends the frames, and releases their slots. A full
/// queue refuses the frame (counted per port in `refusals`).
public final class TransmitQueue: Sendable {
    /// Slots in a queue unless the engine is told otherwise.
    public static let defaultCapacity = 256
    /// Shortest frame on the wire without its FCS: shorter frames are padded with zeros.
    public static let minimumFrameLength = 60
    /// Flag in a slot: send even when the port is disabled.
    static let evenIfDisabled: UInt16 = 1

    private struct Producers {
        /// Frames refused per port (index 0: ports out of range, frames of a bad length).
        var refusals: [UInt64]
    }

    private let slots: FrameSlots
    private let tail = Atomic<Int>(0)
    private let head = Atomic<Int>(0)
    private let producers: Mutex<Producers>

    /// Frames the queue holds at most (a power of two).
    public var capacity: Int { slots.count }

    /// A queue for ports 1...`portCount` of `capacity` slots (rounded up to a power of two).
    public init(portCount: Int, capacity: Int = TransmitQueue.defaultCapacity) {
        var rounded = 1
        while rounded < max(1, capacity) { rounded <<= 1 }
        slots = FrameSlots(count: rounded)
        producers = Mutex(Producers(refusals: Array(repeating: 0, count: portCount + 1)))
    }

    /// Queues a copy of `frame` for `port` (any thread).
    /// - Returns: false, counting a refusal, when the queue is full, the port does
    ///   not exist, or the frame is shorter than an Ethernet header or longer than
    ///   `FrameSlots.frameCapacity`.
    public func push(_ frame: UnsafeRawBufferPointer, port: Int, evenIfDisabled: Bool) -> Bool {
        producers.withLock { producers in
            let tail = self.tail.load(ordering: .relaxed)
            guard port >= 1, port < producers.refusals.count else {
                producers.refusals[0] &+= 1
                return false
            }
            guard frame.count >= 14, frame.count <= FrameSlots.frameCapacity,
                  tail &- head.load(ordering: .acquiring) < slots.count else {
                producers.refusals[port] &+= 1
                return false
            }
            slots.write(frame, port: port, time: Timestamp(nanoseconds: 0), flags: evenIfDisabled ? TransmitQueue.evenIfDisabled : 0,
                        minimumLength: TransmitQueue.minimumFrameLength, at: tail)
            self.tail.store(tail &+ 1, ordering: .releasing)
            return true
        }
    }

    /// True when frames wait: the consumer's one load between batches.
    @inline(__always)
    var isEmpty: Bool { tail.load(ordering: .acquiring) == head.load(ordering: .relaxed) }

    /// Hands every waiting frame to `body` in order and releases its slot (the consumer only).
    /// - Returns: how many frames there were.
    @discardableResult
    func drain(_ body: (_ frame: UnsafeRawBufferPointer, _ port: Int, _ evenIfDisabled: Bool) -> Void) -> Int {
        let head = self.head.load(ordering: .relaxed)
        let available = tail.load(ordering: .acquiring) &- head
        for index in 0..<available {
            let slot = slots.read(at: head &+ index)
            body(slot.frame, slot.port, slot.flags & TransmitQueue.evenIfDisabled != 0)
            self.head.store(head &+ index &+ 1, ordering: .releasing)
        }
        return available
    }

    /// Frames refused for `port` (0: those naming no port).
    public func refusals(port: Int) -> UInt64 {
        producers.withLock { port >= 0 && port < $0.refusals.count ? $0.refusals[port] : 0 }
    }

    /// Zeroes the refusals of one port, or of all.
    public func clearRefusals(port: Int? = nil) {
        producers.withLock { producers in
            if let port {
                if port >= 0, port < producers.refusals.count { producers.refusals[port] = 0 }
            } else {
                for index in producers.refusals.indices { producers.refusals[index] = 0 }
            }
        }
    }
}
