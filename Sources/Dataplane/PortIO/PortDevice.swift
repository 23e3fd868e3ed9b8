/// What a port sends and receives through, driven by the forwarding thread.
protocol PortDevice: AnyObject {
    /// Shown in snapshots, e.g. `veth1`, `memory`.
    var name: String { get }
    /// Descriptors that become readable when frames arrive, for `poll`; none
    /// when the device wakes the thread another way.
    var pollDescriptors: [Int32] { get }
    /// Moves up to `limit` received frames into `batch`, tagged with `port`.
    /// - Returns: how many were added.
    func receive(into batch: FrameBatch, port: Int, limit: Int) -> Int
    /// True when `receive` lends its frames to the batch rather than copying them,
    /// and `receiveDone` must follow once the batch is processed.
    var lendsReceivedFrames: Bool { get }
    /// Takes back the frames the last `receive` lent: the batch no longer uses them.
    func receiveDone()
    /// Sends one frame, or queues it until `flushTransmits`; false when it could not.
    func transmit(_ frame: UnsafeRawBufferPointer) -> Bool
    /// True when `transmit` only queues and `flushTransmits` must follow each batch.
    var needsTransmitFlush: Bool { get }
    /// Sends what `transmit` queued (AF_XDP: one kernel wakeup per batch).
    func flushTransmits()
    /// `transmit` as a C function and its target, for the forwarding thread's egress;
    /// nil for a device that sends from Swift.
    var directTransmit: DirectTransmit? { get }
}

/// A device's send function in C: `send(target, frame, length)` does what the device's
/// `transmit` does, with no reference counting on the way.
struct DirectTransmit {
    let send: @convention(c) (OpaquePointer?, UnsafeRawPointer?, UInt32) -> Bool
    let target: OpaquePointer

    @inline(__always)
    func callAsFunction(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard let base = frame.baseAddress else { return false }
        return send(target, base, UInt32(truncatingIfNeeded: frame.count))
    }
}

extension PortDevice {
    var lendsReceivedFrames: Bool { false }
    func receiveDone() {}
    var needsTransmitFlush: Bool { false }
    func flushTransmits() {}
    var directTransmit: DirectTransmit? { nil }
}
