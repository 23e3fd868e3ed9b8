/// One slot of the station table's open-addressing array: 16 bytes, four per
/// cache line. Besides the key it holds the station's compiled classification
/// (its VLAN and flags never change while the table exists), so the look-ahead
/// of the forwarding path can work out a frame's VLAN — and so its MAC table
/// key — from the slot alone, before the station's record has loaded.
struct StationSlot {
    /// `mac | (index + 1) << 48`; 0 marks an empty slot.
    var key: UInt64
    /// The station's VLAN, 0 = none (as `StationAttributes.vlan`).
    var vlan: UInt16
    /// `StationRecord` flag bits fixed by the policy (`tagged`, `classifies`, the policing bits).
    var flags: UInt16
    private var reserved: UInt32 = 0

    static let empty = StationSlot(key: 0, vlan: 0, flags: 0)

    init(key: UInt64, vlan: UInt16, flags: UInt16) {
        self.key = key
        self.vlan = vlan
        self.flags = flags
    }

    /// The station's index in the table's records (only for a slot that is not empty).
    @inline(__always) var index: Int { Int(truncatingIfNeeded: key >> 48) &- 1 }
}
