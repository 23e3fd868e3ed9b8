import SwitchTypes

/// A port attached to memory instead of a wire: tests and benchmarks play the
/// host, putting frames into its ingress ring and taking what the switch sent
/// from its egress ring. Both rings are preallocated and guarded by their own
/// lock, so the host thread and the forwarding thread share it safely.
public final class MemoryPort: Sendable {
    private struct Ingress: Sendable {
        var ring: FrameRing
        var wakeup: Wakeup?
    }

    private let ingress: ThreadLock<Ingress>
    private let egress: ThreadLock<FrameRing>

    /// Creates a port.
    /// - Parameters:
    ///   - capacity: frames each ring holds.
    ///   - slotSize: longest frame, in bytes (default: 9216-byte jumbo plus two tags).
    public init(capacity: Int = 256, slotSize: Int = 9224) {
        ingress = ThreadLock(Ingress(ring: FrameRing(slotCount: capacity, slotSize: slotSize), wakeup: nil))
        egress = ThreadLock(FrameRing(slotCount: capacity, slotSize: slotSize))
    }

    /// Queues a frame as if the host had sent it to the switch.
    /// - Returns: false when the ingress ring is full (the host should retry).
    @discardableResult
    public func inject(_ frame: UnsafeRawBufferPointer) -> Bool {
        let (accepted, wakeup) = ingress.withLock { state in (state.ring.push(frame), state.wakeup) }
        wakeup?.signal()
        return accepted
    }

    /// Queues a frame given as bytes.
    @discardableResult
    public func inject(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { inject($0) } }

    /// Takes every frame the switch has sent out of this port, oldest first.
    public func takeEgress() -> [[UInt8]] {
        egress.withLock { ring in
            var frames: [[UInt8]] = []
            while let frame = ring.first {
                frames.append(Array(frame))
                ring.removeFirst()
            }
            return frames
        }
    }

    /// Discards egress frames without copying them (benchmarks).
    /// - Returns: how many were discarded.
    @discardableResult
    public func discardEgress() -> Int {
        egress.withLock { ring in
            let count = ring.count
            while ring.count > 0 { ring.removeFirst() }
            return count
        }
    }

    /// Frames waiting in the ingress ring.
    public var pendingIngress: Int { ingress.withLock { $0.ring.count } }

    func attach(_ wakeup: Wakeup) {
        ingress.withLock { $0.wakeup = wakeup }
    }
}

extension MemoryPort: PortDevice {
    var name: String { "memory" }
    var pollDescriptors: [Int32] { [] }

    func receive(into batch: FrameBatch, port: Int, limit: Int) -> Int {
        ingress.withLock { state in
            var received = 0
            while received < limit, let frame = state.ring.first, batch.append(frame, port: port) {
                state.ring.removeFirst()
                received += 1
            }
            return received
        }
    }

    func transmit(_ frame: UnsafeRawBufferPointer) -> Bool {
        egress.withLock { $0.push(frame) }
    }
}
