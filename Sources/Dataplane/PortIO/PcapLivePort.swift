import CPcap

/// A port on a live Linux interface through libpcap: promiscuous, immediate
/// mode (no buffering delay), inbound direction only (so the switch never
/// re-reads what it sent), non-blocking, read in batches with `pcap_dispatch`
/// and written with `pcap_inject`. See README.md for the interface settings.
public final class PcapLivePort {
    /// The interface name, e.g. `veth1`.
    public let interface: String
    private let handle: OpaquePointer
    private let context = DispatchContext()

    /// Where `pcap_dispatch`'s C callback puts frames: passed as its `user` pointer.
    private final class DispatchContext {
        var batch: FrameBatch?
        var port = 0
        var received = 0
    }

    /// Opens and activates `interface`.
    /// - Parameter bufferSize: the kernel ring size in bytes.
    /// - Throws: `DataplaneError.pcap` (no such interface, not permitted, ...).
    public init(interface: String, bufferSize: Int32 = 4 << 20) throws(DataplaneError) {
        self.interface = interface
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw .pcap(operation: "pcap_create", target: interface, message: PcapLivePort.text(errorBuffer))
        }
        func check(_ status: Int32, _ operation: String) throws(DataplaneError) {
            guard status >= 0 else {
                let message = status == PCAP_ERROR ? String(cString: pcap_geterr(handle))
                                                   : String(cString: pcap_statustostr(status))
                pcap_close(handle)
                throw .pcap(operation: operation, target: interface, message: message)
            }
        }
        try check(pcap_set_snaplen(handle, Int32(ForwardingPipeline.maximumFrameLength)), "pcap_set_snaplen")
        try check(pcap_set_promisc(handle, 1), "pcap_set_promisc")
        try check(pcap_set_immediate_mode(handle, 1), "pcap_set_immediate_mode")
        try check(pcap_set_buffer_size(handle, bufferSize), "pcap_set_buffer_size")
        try check(pcap_activate(handle), "pcap_activate")
        try check(pcap_setdirection(handle, PCAP_D_IN), "pcap_setdirection")
        try check(pcap_setnonblock(handle, 1, &errorBuffer), "pcap_setnonblock")
        guard pcap_datalink(handle) == DLT_EN10MB else {
            let linkType = pcap_datalink(handle)
            pcap_close(handle)
            throw .unsupportedLinkType(target: interface, linkType: linkType,
                                           name: pcap_datalink_val_to_name(linkType).map { String(cString: $0) })
        }
        self.handle = handle
    }

    deinit { pcap_close(handle) }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension PcapLivePort: PortDevice {
    var name: String { interface }

    var pollDescriptors: [Int32] {
        let descriptor = pcap_get_selectable_fd(handle)
        return descriptor >= 0 ? [descriptor] : []
    }

    func receive(into batch: FrameBatch, port: Int, limit: Int) -> Int {
        context.batch = batch
        context.port = port
        context.received = 0
        let user = Unmanaged.passUnretained(context).toOpaque().assumingMemoryBound(to: UInt8.self)
        // Non-blocking: returns at once with what the kernel ring holds, at most `limit`.
        _ = pcap_dispatch(handle, Int32(limit), { user, header, bytes in
            guard let user, let header, let bytes else { return }
            let context = Unmanaged<DispatchContext>.fromOpaque(UnsafeRawPointer(user)).takeUnretainedValue()
            let frame = UnsafeRawBufferPointer(start: bytes, count: Int(header.pointee.caplen))
            if context.batch?.append(frame, port: context.port) == true { context.received += 1 }
        }, user)
        context.batch = nil
        return context.received
    }

    func transmit(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard let base = frame.baseAddress else { return false }
        return pcap_inject(handle, base, frame.count) == frame.count
    }
}
