/// A frame's parsed fields and offsets, built over a raw buffer without allocating.
///
/// Only the tags a bridge interprets are decoded: an optional 802.1ad S-tag
/// (TPID 0x88a8), then an optional 802.1Q C-tag (TPID 0x8100). Anything further
/// (a third tag, say) is payload with `etherType` 0x8100, as on any 802.1Q bridge.
public struct ParsedFrame: Hashable, Sendable {
    /// Length of the whole frame in bytes (no FCS).
    public var length: Int
    /// Destination MAC address.
    public var destination: MACAddress
    /// Source MAC address.
    public var source: MACAddress
    /// The 802.1ad service tag, when the frame starts with one.
    public var serviceTag: VLANTag?
    /// The 802.1Q customer tag: outermost, or right inside the S-tag.
    public var customerTag: VLANTag?
    /// The EtherType after the decoded tags.
    public var etherType: UInt16
    /// Offset of the payload of `etherType` (the L3 header).
    public var payloadOffset: Int
    /// The ARP or RARP body, when `etherType` is ARP/RARP and it is well formed.
    public var arp: ARPPacket?
    /// The IPv4 header summary, when `etherType` is IPv4 and it is well formed.
    public var ipv4: IPv4Packet?

    /// Length of an untagged Ethernet II header.
    public static let headerLength = 14

    /// The 802.1Q tag an 802.1Q (C-VLAN) bridge classifies by: the C-tag when it
    /// is outermost. A frame with an S-tag outside is untagged to such a bridge.
    public var outerCustomerTag: VLANTag? { serviceTag == nil ? customerTag : nil }

    /// Parses `buffer`.
    /// - Parameter networkLayer: also decode ARP/RARP and IPv4 (the forwarding
    ///   path skips this and parses again only when it needs the L3 fields).
    /// - Throws: `FrameError` when the link-layer header is cut short.
    public init(parsing buffer: UnsafeRawBufferPointer, networkLayer: Bool = true) throws(FrameError) {
        let length = buffer.count
        guard length >= ParsedFrame.headerLength else { throw .tooShort }
        self.length = length
        self.destination = MACAddress(loadingFrom: buffer, atOffset: 0)
        self.source = MACAddress(loadingFrom: buffer, atOffset: 6)
        var offset = 12
        var type = buffer.loadBigEndianUInt16(at: offset)
        self.serviceTag = nil
        self.customerTag = nil
        if type == EtherType.serviceVLAN {
            guard length >= offset + 6 else { throw .truncatedTag }
            serviceTag = VLANTag(tci: buffer.loadBigEndianUInt16(at: offset + 2))
            offset += 4
            type = buffer.loadBigEndianUInt16(at: offset)
        }
        if type == EtherType.vlan {
            guard length >= offset + 6 else { throw .truncatedTag }
            customerTag = VLANTag(tci: buffer.loadBigEndianUInt16(at: offset + 2))
            offset += 4
            type = buffer.loadBigEndianUInt16(at: offset)
        }
        self.etherType = type
        self.payloadOffset = offset + 2
        self.arp = nil
        self.ipv4 = nil
        if networkLayer { parseNetworkLayer(buffer) }
    }

    /// Decodes ARP/RARP or IPv4 at `payloadOffset`; a short or odd L3 header
    /// leaves the field nil, since a bridge forwards such frames all the same.
    public mutating func parseNetworkLayer(_ buffer: UnsafeRawBufferPointer) {
        switch etherType {
        case EtherType.arp, EtherType.rarp:
            arp = ARPPacket(parsing: buffer, atOffset: payloadOffset, isReverse: etherType == EtherType.rarp)
        case EtherType.ipv4:
            ipv4 = IPv4Packet(parsing: buffer, atOffset: payloadOffset)
        default:
            break
        }
    }
}
