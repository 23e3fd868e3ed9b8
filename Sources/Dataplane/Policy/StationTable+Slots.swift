/// The station table's open addressing: linear probing from the MAC's
/// Fibonacci home, as in `MACTable`, and deletion by backward shift.
extension StationTable {
    /// Where `mac`'s probe starts.
    func home(of mac: UInt64) -> Int { MACTable.home(of: mac, shift: slotShift) }

    /// Where `mac`'s slot is, -1 when it has no policy.
    func slotIndex(of mac: UInt64) -> Int {
        var slot = home(of: mac)
        while slots[slot].key != 0 {
            if slots[slot].mac == mac { return slot }
            slot = (slot + 1) & slotMask
        }
        return -1
    }

    /// Puts `entry` in the first empty slot from its home (its MAC is not in the table).
    func insertSlot(_ entry: StationSlot) {
        var slot = home(of: entry.mac)
        while slots[slot].key != 0 { slot = (slot + 1) & slotMask }
        slots[slot] = entry
    }

    /// Removes `mac`'s slot, shifting the rest of its cluster back (no tombstones:
    /// churn never lengthens probes).
    func deleteSlot(of mac: UInt64) {
        var hole = slotIndex(of: mac)
        guard hole >= 0 else { return }
        var next = (hole + 1) & slotMask
        while slots[next].key != 0 {
            let home = home(of: slots[next].mac)
            // The entry may fill the hole when the hole lies between its home and where it is.
            if (next &- home) & slotMask >= (next &- hole) & slotMask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & slotMask
        }
        slots[hole] = .empty
    }
}
