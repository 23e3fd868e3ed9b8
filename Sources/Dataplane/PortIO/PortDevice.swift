/// What a port sends and receives through, driven by the forwarding thread.
protocol PortDevice: AnyObject {
    /// Shown in snapshots, e.g. `veth1`, `memory`.
    var name: String { get }
    /// A descriptor that becomes readable when frames arrive, for `poll`; nil
    /// when the device wakes the thread another way.
    var pollDescriptor: Int32? { get }
    /// Moves up to `limit` received frames into `batch`, tagged with `port`.
    /// - Returns: how many were added.
    func receive(into batch: FrameBatch, port: Int, limit: Int) -> Int
    /// Sends one frame, or queues it until `flushTransmits`; false when it could not.
    func transmit(_ frame: UnsafeRawBufferPointer) -> Bool
    /// True when `transmit` only queues and `flushTransmits` must follow each batch.
    var needsTransmitFlush: Bool { get }
    /// Sends what `transmit` queued (AF_XDP: one kernel wakeup per batch).
    func flushTransmits()
}

extension PortDevice {
    var needsTransmitFlush: Bool { false }
    func flushTransmits() {}
}
