import Frames

/// One slot of the MAC table's open-addressing array: 16 bytes, four per cache line.
struct MACTableSlot {
    /// `vlan << 48 | mac`; 0 marks an empty slot (VLAN 0 is never stored).
    var key: UInt64
    /// Last time the station was seen, in whole seconds since the epoch.
    var lastSeen: UInt32
    /// The port, 1-based.
    var port: UInt16
    /// Bit 0: `MACTableSlot.staticFlag`. Bits 1-15: the station tag, which caches
    /// the MAC's index in the station table and whether the station has egress
    /// buckets (see `StationTable.tag(for:egressPolicing:)`), so the destination's
    /// policy costs no second lookup; 0 = no policy.
    var flags: UInt16

    static let empty = MACTableSlot(key: 0, lastSeen: 0, port: 0, flags: 0)
    /// Where `flags` is in a slot, for reading a tag from raw storage (a literal,
    /// so the forwarding path computes nothing; a test checks it).
    static let flagsOffset = 14
    static let staticFlag: UInt16 = 1

    var isStatic: Bool { flags & MACTableSlot.staticFlag != 0 }

    /// The station tag (0 = the MAC has no station policy).
    @inline(__always) var stationTag: UInt16 { flags >> 1 }

    @inline(__always)
    static func key(mac: MACAddress, vlan: UInt16) -> UInt64 { UInt64(vlan) << 48 | mac.rawValue }
}
