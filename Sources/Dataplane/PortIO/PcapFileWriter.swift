import CPcap
import SwitchTypes

/// Writes Ethernet frames to a classic pcap file (microsecond timestamps,
/// link type EN10MB) through libpcap's dumper, so tshark and tcpdump read it.
public final class PcapFileWriter {
    /// The file's path.
    public let path: String
    private let handle: OpaquePointer
    private let dumper: OpaquePointer

    /// Creates (truncates) `path`.
    /// - Throws: `DataplaneError.pcap` when the file cannot be opened.
    public init(path: String) throws(DataplaneError) {
        self.path = path
        guard let handle = pcap_open_dead(DLT_EN10MB, Int32(ForwardingPipeline.maximumFrameLength)) else {
            throw .pcap(operation: "pcap_open_dead", target: path, message: "out of memory")
        }
        guard let dumper = pcap_dump_open(handle, path) else {
            let message = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            throw .pcap(operation: "pcap_dump_open", target: path, message: message)
        }
        self.handle = handle
        self.dumper = dumper
    }

    deinit {
        pcap_dump_close(dumper)
        pcap_close(handle)
    }

    /// Appends one frame stamped `time`.
    public func write(_ frame: UnsafeRawBufferPointer, at time: Timestamp) {
        guard let base = frame.baseAddress else { return }
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(time.seconds)
        header.ts.tv_usec = Int(time.subsecondNanoseconds / 1000)
        header.caplen = bpf_u_int32(frame.count)
        header.len = bpf_u_int32(frame.count)
        // pcap_dump takes the dumper disguised as its `u_char *user` argument.
        pcap_dump(UnsafeMutablePointer<UInt8>(dumper), &header, base.assumingMemoryBound(to: UInt8.self))
    }

    /// Pushes buffered frames to the file so readers see them.
    public func flush() {
        pcap_dump_flush(dumper)
    }
}
