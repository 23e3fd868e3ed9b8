/// Making room in a full table, fairly: instead of refusing every new station
/// once the table holds `limit` dynamic entries (so that one port flooding
/// random source addresses would stop learning on every port), a new station
/// evicts one dynamic entry of the port holding the most, as Open vSwitch's
/// `evict_mac_entry_fairly` does. The flooding port is then the one that loses
/// entries, and the others keep learning.
///
/// The work is bounded: the fullest port comes from the per-port counts (65
/// rows), and its entry from a search of at most `evictionSearchSlots` slots
/// from a cursor that moves on after each eviction, so successive evictions
/// spread over the table. The search takes an expired entry if it meets one
/// first (that is ageing, not eviction: nothing live is lost), and if no entry
/// of the fullest port lies in the window, the entry seen of the fullest port
/// met. Static entries are never evicted.
extension MACTable {
    /// Most slots one eviction examines. The fullest port holds at least 1/64 of
    /// the dynamic entries, and a full table fills at least a quarter of its
    /// slots, so a window this size normally holds several of its entries.
    static let evictionSearchSlots = 1024

    /// Removes one dynamic entry to make room (see the extension's comment).
    /// - Returns: false when the window held no dynamic entry at all.
    func evictFairly(nowSeconds: UInt32) -> Bool {
        let fullest = ports.fullestPort()
        var index = evictionCursor
        var candidate = -1
        var candidateEntries: Int32 = 0
        for _ in 0..<min(capacity, MACTable.evictionSearchSlots) {
            let slot = slots[index]
            if slot.key != 0, !slot.isStatic {
                if isExpired(slot, nowSeconds: nowSeconds) {
                    evictionCursor = index
                    removeSlot(at: index)
                    return true
                }
                if slot.port == fullest {
                    candidate = index
                    break
                }
                let entries = ports.entries[Int(slot.port)]
                if entries > candidateEntries {
                    candidate = index
                    candidateEntries = entries
                }
            }
            index = (index + 1) & mask
        }
        guard candidate >= 0 else { return false }
        let port = Int(slots[candidate].port)
        ports.evicted[port] &+= 1
        evictedCount &+= 1
        // The removal shifts the cluster back into `candidate`: the next search starts there.
        evictionCursor = candidate
        removeSlot(at: candidate)
        return true
    }
}
