import CPcap
import Glibc
import SwitchTypes

/// Reads Ethernet frames from a pcap or pcapng file, with nanosecond timestamps.
/// A damaged record ends the file's replay; `damage` then says what is wrong, with the
/// file's own numbers, because libpcap's error names neither the record nor its place.
public final class PcapFileReader {
    /// The file's path.
    public let path: String
    private let handle: OpaquePointer
    /// The classic pcap file header, when the file is one (nil for pcapng).
    private let header: PcapFileHeader?
    /// Records read so far.
    public private(set) var records = 0
    /// Why the replay of this file stopped before its end; nil when it read to the end.
    public private(set) var damage: String?

    /// How messages name the file: as `--attach` does.
    var label: String { "file:" + path }

    /// Opens `path`.
    /// - Throws: `DataplaneError` when it cannot be read or is not Ethernet.
    public init(path: String) throws(DataplaneError) {
        self.path = path
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO),
                                                                   &errorBuffer) else {
            throw .pcap(operation: "pcap_open_offline", target: "file:" + path,
                        message: String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                        as: UTF8.self))
        }
        header = PcapFileHeader(path: path)
        let linkType = pcap_datalink(handle)
        guard linkType == DLT_EN10MB else {
            pcap_close(handle)
            // The file's LINKTYPE_ number (RAW is 101 in a file, DLT 12 inside libpcap).
            let name = pcap_datalink_val_to_name(linkType).map { String(cString: $0) }
            throw .unsupportedLinkType(target: "file:" + path, linkType: header.map { Int32($0.linkType) } ?? linkType,
                                       name: name)
        }
        self.handle = handle
    }

    deinit { pcap_close(handle) }

    /// The next frame and its capture time; nil at the end of the file, or on a damaged
    /// record (then `damage` says why). The buffer is valid until the next call.
    public func next() -> (time: Timestamp, frame: UnsafeRawBufferPointer)? {
        guard damage == nil else { return nil }
        var record: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let offset = pcap_file(handle).map { ftell($0) } ?? -1
        let result = pcap_next_ex(handle, &record, &data)
        guard result == 1, let record, let data else {
            if result != PCAP_ERROR_BREAK { describeDamage(at: offset) }
            return nil
        }
        records += 1
        let captured = record.pointee
        // With nanosecond precision libpcap puts nanoseconds in tv_usec.
        let time = Timestamp(seconds: Int64(captured.ts.tv_sec), nanoseconds: Int64(captured.ts.tv_usec))
        return (time, UnsafeRawBufferPointer(start: data, count: Int(captured.caplen)))
    }

    /// Reads every remaining frame (test and tool convenience; allocates).
    public func readAll() -> [(time: Timestamp, bytes: [UInt8])] {
        var frames: [(time: Timestamp, bytes: [UInt8])] = []
        while let (time, frame) = next() { frames.append((time, Array(frame))) }
        return frames
    }

    /// The largest caplen libpcap reads for Ethernet (its max_snaplen_for_dlt).
    static let largestSnapshot = 262_144

    private func describeDamage(at offset: Int) {
        let number = records + 1
        let place = "\(label): record \(number)" + (offset >= 0 ? " at byte \(offset)" : "")
        let kept = "; \(records) frame\(records == 1 ? "" : "s") before it replayed, the rest of the file skipped"
        let libpcap = String(cString: pcap_geterr(handle))
        guard let header, offset >= 0, let fileSize = PcapFileHeader.size(of: path) else {
            damage = place + ": " + libpcap + kept
            return
        }
        let left = fileSize - offset
        guard left >= PcapFileHeader.recordHeaderSize, let caplen = header.caplen(ofRecordAt: offset, in: path) else {
            damage = place + " is truncated (\(PcapFileHeader.recordHeaderSize)-byte record header, "
                + "\(max(0, left)) bytes left)" + kept
            return
        }
        if caplen > Self.largestSnapshot {
            damage = place + ": caplen \(caplen) exceeds the snapshot length \(Self.largestSnapshot)" + kept
        } else if caplen > left - PcapFileHeader.recordHeaderSize {
            damage = place + " is truncated (caplen \(caplen), \(left - PcapFileHeader.recordHeaderSize) bytes left)" + kept
        } else {
            damage = place + ": " + libpcap + kept
        }
    }
}

/// What a classic pcap file's own header says (libpcap keeps it to itself): the byte
/// order, the snapshot length and the link type, and how to read a record's caplen.
struct PcapFileHeader {
    static let size = 24
    static let recordHeaderSize = 16
    let swapped: Bool
    let snapshotLength: UInt32
    /// LINKTYPE_ number (the low 16 bits; the high ones carry FCS information).
    let linkType: UInt32

    /// nil when `path` is not a classic pcap file (pcapng, unreadable).
    init?(path: String) {
        guard let bytes = Self.read(path, at: 0, count: Self.size) else { return nil }
        let magic = Self.u32(bytes, 0, swapped: false)
        switch magic {
        case 0xa1b2_c3d4, 0xa1b2_3c4d: swapped = false
        case 0xd4c3_b2a1, 0x4d3c_b2a1: swapped = true
        default: return nil
        }
        snapshotLength = Self.u32(bytes, 16, swapped: swapped)
        linkType = Self.u32(bytes, 20, swapped: swapped) & 0xffff
    }

    /// The caplen of the record whose header starts at `offset`.
    func caplen(ofRecordAt offset: Int, in path: String) -> Int? {
        guard let bytes = Self.read(path, at: offset, count: Self.recordHeaderSize) else { return nil }
        return Int(Self.u32(bytes, 8, swapped: swapped))
    }

    static func size(of path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    private static func read(_ path: String, at offset: Int, count: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        return pread(fd, &bytes, count, off_t(offset)) == count ? bytes : nil
    }

    /// Little-endian as read on this (little-endian) machine, unless the file is the other way.
    private static func u32(_ b: [UInt8], _ at: Int, swapped: Bool) -> UInt32 {
        let v = UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
        return swapped ? v.byteSwapped : v
    }
}
