import Frames

/// The link-layer fields of one frame that ACL filters read, all loaded when
/// the frame first meets an ACL: its addresses and the EtherType after its
/// tags. Most rules look at nothing else, so matching them is a few masked
/// compares of values already in registers.
struct ACLFrameFields {
    let frame: UnsafeRawBufferPointer
    let source: UInt64
    let destination: UInt64
    /// The EtherType after an optional S-tag and an optional C-tag (as `ParsedFrame`
    /// decodes them); the pipeline has already checked the tags are complete.
    let etherType: UInt16
    /// Where the payload after that EtherType starts.
    let payloadOffset: Int

    /// - Parameter outerType: the EtherType at offset 12, which the caller has read.
    @inline(__always)
    init(frame: UnsafeRawBufferPointer, source: MACAddress, destination: MACAddress, outerType: UInt16) {
        self.frame = frame
        self.source = source.rawValue
        self.destination = destination.rawValue
        // Untagged, the common case: the outer type is the one.
        guard outerType == EtherType.serviceVLAN || outerType == EtherType.vlan else {
            etherType = outerType
            payloadOffset = 14
            return
        }
        var offset = 12
        var type = outerType
        if type == EtherType.serviceVLAN, frame.count >= offset + 6 {
            offset += 4
            type = frame.loadBigEndianUInt16(at: offset)
        }
        if type == EtherType.vlan, frame.count >= offset + 6 {
            offset += 4
            type = frame.loadBigEndianUInt16(at: offset)
        }
        etherType = type
        payloadOffset = offset + 2
    }
}

/// The IPv4/TCP/UDP fields of a frame, parsed on first use by a rule that
/// filters on them, so a frame checked only against link-layer rules never has
/// its L3 header touched.
struct ACLNetworkFields {
    private var parsed = false
    private var header: IPv4Packet?
    private var unfragmented = false

    init() {}

    /// The IPv4 header (with TCP/UDP ports when unfragmented TCP/UDP), nil when the
    /// frame is not IPv4 or its header is short or invalid.
    mutating func ipv4(of fields: ACLFrameFields) -> IPv4Packet? {
        if !parsed {
            parsed = true
            if fields.etherType == EtherType.ipv4,
               let packet = IPv4Packet(parsing: fields.frame, atOffset: fields.payloadOffset) {
                header = packet
                // Neither "more fragments" nor a fragment offset.
                unfragmented = fields.frame.loadBigEndianUInt16(at: fields.payloadOffset + 6) & 0x3fff == 0
            }
        }
        return header
    }

    /// The TCP/UDP ports of an unfragmented TCP or UDP packet, nil otherwise (a first
    /// fragment carries ports too, but port filters are defined on whole packets).
    mutating func ports(of fields: ACLFrameFields) -> (source: UInt16, destination: UInt16)? {
        guard let packet = ipv4(of: fields), unfragmented, let source = packet.sourcePort,
              let destination = packet.destinationPort else { return nil }
        return (source, destination)
    }
}
