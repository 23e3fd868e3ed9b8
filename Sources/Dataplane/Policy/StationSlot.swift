/// One slot of the station table's open-addressing array: 16 bytes, four per
/// cache line. Besides the key it holds the station's compiled classification
/// (its VLAN and flags, rewritten in place when its policy changes, between
/// batches), so the look-ahead of the forwarding path can work out a frame's
/// VLAN — and so its MAC table key — from the slot alone, before the station's
/// record has loaded.
struct StationSlot {
    /// `mac | occupied`; 0 marks an empty slot.
    var key: UInt64
    /// The station's VLAN, 0 = none (as `StationAttributes.vlan`).
    var vlan: UInt16
    /// `StationRecord` flag bits fixed by the policy (`tagged`, `classifies`, the policing bits).
    var flags: UInt16
    /// The station's index + 1: 32 bits, so the table is not bounded by the slot
    /// (it once shared the key with the MAC, which capped it at 65,535 stations).
    private var indexPlusOne: UInt32

    /// Set in every occupied slot's key above the MAC, so that no station's key is 0.
    static let occupied: UInt64 = 1 << 48
    static let macMask: UInt64 = 0xffff_ffff_ffff
    static let empty = StationSlot(mac: 0, index: -1, vlan: 0, flags: 0, occupied: false)

    init(mac: UInt64, index: Int, vlan: UInt16, flags: UInt16, occupied: Bool = true) {
        key = occupied ? mac | StationSlot.occupied : 0
        self.vlan = vlan
        self.flags = flags
        indexPlusOne = UInt32(truncatingIfNeeded: index &+ 1)
    }

    /// The station's MAC (only for a slot that is not empty).
    @inline(__always) var mac: UInt64 { key & StationSlot.macMask }

    /// The station's index in the table's records (-1 for an empty slot).
    @inline(__always) var index: Int { Int(indexPlusOne) &- 1 }
}
