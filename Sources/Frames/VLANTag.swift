/// One VLAN tag's control information (the 16 bits after the TPID).
public struct VLANTag: Hashable, Sendable {
    /// Tag control information: PCP (3 bits), DEI (1 bit), VID (12 bits).
    public var tci: UInt16

    /// Creates a tag from its raw TCI.
    @inlinable
    public init(tci: UInt16) { self.tci = tci }

    /// Creates a tag from its fields.
    @inlinable
    public init(vid: UInt16, priority: UInt8 = 0, dropEligible: Bool = false) {
        self.tci = UInt16(priority & 7) << 13 | (dropEligible ? 0x1000 : 0) | (vid & 0xfff)
    }

    /// The VLAN identifier; 0 means priority-tagged only, 4095 is reserved.
    @inlinable
    public var vid: UInt16 { tci & 0xfff }
    /// The priority code point.
    @inlinable
    public var priority: UInt8 { UInt8(truncatingIfNeeded: tci >> 13) }
    /// The drop eligible indicator.
    @inlinable
    public var dropEligible: Bool { tci & 0x1000 != 0 }
}
