/// The fields of one frame that ACL filters read. The addresses are loaded up
/// front (the forwarding path has them anyway); the EtherType after the tags and
/// the IPv4/TCP/UDP fields are parsed on first use, so a frame only checked
/// against MAC filters never has its L3 header touched.
struct ACLFrameFields {
    let frame: UnsafeRawBufferPointer
    let source: UInt64
    let destination: UInt64
    private var typeParsed = false
    private var ipv4Parsed = false
    private var innerType: UInt16 = 0
    private var payloadOffset = 0
    private var ipv4Header: IPv4Packet?
    private var unfragmented = false

    @inline(__always)
    init(frame: UnsafeRawBufferPointer, source: MACAddress, destination: MACAddress) {
        self.frame = frame
        self.source = source.rawValue
        self.destination = destination.rawValue
    }

    /// The EtherType after an optional S-tag and an optional C-tag (as `ParsedFrame`
    /// decodes them); the pipeline has already checked the tags are complete.
    var etherType: UInt16 {
        mutating get {
            if !typeParsed {
                typeParsed = true
                var offset = 12
                var type = frame.loadBigEndianUInt16(at: offset)
                if type == EtherType.serviceVLAN, frame.count >= offset + 6 {
                    offset += 4
                    type = frame.loadBigEndianUInt16(at: offset)
                }
                if type == EtherType.vlan, frame.count >= offset + 6 {
                    offset += 4
                    type = frame.loadBigEndianUInt16(at: offset)
                }
                innerType = type
                payloadOffset = offset + 2
            }
            return innerType
        }
    }

    /// The IPv4 header (with TCP/UDP ports when unfragmented TCP/UDP), nil when the
    /// frame is not IPv4 or its header is short or invalid.
    var ipv4: IPv4Packet? {
        mutating get {
            if !ipv4Parsed {
                ipv4Parsed = true
                if etherType == EtherType.ipv4, let header = IPv4Packet(parsing: frame, atOffset: payloadOffset) {
                    ipv4Header = header
                    // Neither "more fragments" nor a fragment offset.
                    unfragmented = frame.loadBigEndianUInt16(at: payloadOffset + 6) & 0x3fff == 0
                }
            }
            return ipv4Header
        }
    }

    /// The TCP/UDP ports of an unfragmented TCP or UDP packet, nil otherwise (a first
    /// fragment carries ports too, but port filters are defined on whole packets).
    var ports: (source: UInt16, destination: UInt16)? {
        mutating get {
            guard let header = ipv4, unfragmented, let source = header.sourcePort,
                  let destination = header.destinationPort else { return nil }
            return (source, destination)
        }
    }
}
