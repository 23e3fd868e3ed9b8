import CPcap

/// Reads Ethernet frames from a pcap or pcapng file, with nanosecond timestamps.
public final class PcapFileReader {
    /// The file's path.
    public let path: String
    private let handle: OpaquePointer

    /// Opens `path`.
    /// - Throws: `DataplaneError` when it cannot be read or is not Ethernet.
    public init(path: String) throws(DataplaneError) {
        self.path = path
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO),
                                                                   &errorBuffer) else {
            throw .pcap(operation: "pcap_open_offline", target: path,
                        message: String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                        as: UTF8.self))
        }
        let linkType = pcap_datalink(handle)
        guard linkType == DLT_EN10MB else {
            pcap_close(handle)
            throw .unsupportedLinkType(path: path, linkType: linkType)
        }
        self.handle = handle
    }

    deinit { pcap_close(handle) }

    /// The next frame and its capture time; nil at the end of the file (or on a
    /// damaged record, which ends the replay of this file). The buffer is valid
    /// until the next call.
    public func next() -> (time: Timestamp, frame: UnsafeRawBufferPointer)? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        guard pcap_next_ex(handle, &header, &data) == 1, let header, let data else { return nil }
        let record = header.pointee
        // With nanosecond precision libpcap puts nanoseconds in tv_usec.
        let time = Timestamp(seconds: Int64(record.ts.tv_sec), nanoseconds: Int64(record.ts.tv_usec))
        return (time, UnsafeRawBufferPointer(start: data, count: Int(record.caplen)))
    }

    /// Reads every remaining frame (test and tool convenience; allocates).
    public func readAll() -> [(time: Timestamp, bytes: [UInt8])] {
        var frames: [(time: Timestamp, bytes: [UInt8])] = []
        while let (time, frame) = next() { frames.append((time, Array(frame))) }
        return frames
    }
}
