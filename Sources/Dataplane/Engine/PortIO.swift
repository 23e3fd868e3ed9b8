/// The engine's egress: each port's device (if any) plus its capture file
/// (if capturing). A port without a device — unattached, or replaying a
/// file — sends into nothing, but its egress is still counted and captured.
final class PortIO: EgressSink {
    private let devices: [(any PortDevice)?]
    private let captures: [PcapFileWriter?]
    private let clock: any DataplaneClock
    /// The devices that queue transmissions until flushed, so ports that send at once cost nothing.
    private let queueingDevices: [any PortDevice]
    /// The devices' C send functions, where they have one: reaching a device through
    /// `devices` costs a retain and a release per frame sent (2 % of the forwarding
    /// thread at TCP rates on AF_XDP); `devices` keeps every target alive as long as this.
    private let directSenders: [DirectTransmit?]

    /// `devices` and `captures` are indexed by port (index 0 unused).
    init(devices: [(any PortDevice)?], captures: [PcapFileWriter?], clock: any DataplaneClock) {
        self.devices = devices
        self.captures = captures
        self.clock = clock
        queueingDevices = devices.compactMap { $0 }.filter(\.needsTransmitFlush)
        directSenders = devices.map { $0?.directTransmit }
    }

    func transmit(_ frame: UnsafeRawBufferPointer, port: Int) -> Bool {
        let sent = if let direct = directSenders[port] { direct(frame) } else { devices[port]?.transmit(frame) ?? true }
        if sent, let capture = captures[port] { capture.write(frame, at: clock.now()) }
        return sent
    }

    /// Sends what the queueing devices hold: after each batch and each burst of originated frames.
    func flushTransmits() {
        for device in queueingDevices { device.flushTransmits() }
    }

    func flushCaptures() {
        for capture in captures { capture?.flush() }
    }
}
