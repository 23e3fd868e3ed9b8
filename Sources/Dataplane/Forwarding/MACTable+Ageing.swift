import SwitchTypes

/// Ageing in slices. Sweeping the whole slot array at once stalls forwarding
/// for milliseconds at `mac-address-table limit 1048576` (2M slots, 32 MiB), so
/// the forwarding loop calls `age(at:)` every batch (and, idle, every poll) and
/// each call visits a bounded slice from a cursor that wraps around the table.
///
/// Pacing: time earns visits, a whole pass over the slots per
/// `ageingPassNanoseconds`, of which one call spends at most
/// `ageingSliceSlots` (and removes at most `ageingSliceRemovals`, since a
/// removal shifts its cluster back). Under traffic there is a call per batch,
/// far more than the capacity / slice calls a pass needs; idle, the engine polls
/// every millisecond while `isAgeingBehind`. So every slot is visited about once
/// a second and an expired entry is reclaimed within two passes (2 s) of
/// expiring — the second pass for an entry that a removal elsewhere shifted back
/// past the cursor. Until then lookups and `entries(at:)` already treat it as
/// absent (a lookup that meets it removes it), so the delay only shows in the
/// counts (`dynamicCount`, a port's count against its limit) and a full table
/// reclaims expired entries first when it needs room (`MACTable+Eviction`).
extension MACTable {
    /// One full pass over the slots per this much switch time, when called often enough.
    static let ageingPassNanoseconds: Int64 = 1_000_000_000
    /// Most slots one call visits: 64 KiB of slots, read in order.
    static let ageingSliceSlots = 4096
    /// Most entries one call removes.
    static let ageingSliceRemovals = 256

    /// True when more than a slice of ageing is owed: the caller should call
    /// again soon rather than idle (see `EngineCore.run`).
    public var isAgeingBehind: Bool {
        ageingCredit / MACTable.ageingPassNanoseconds >= Int64(MACTable.ageingSliceSlots)
    }

    /// Removes the expired dynamic entries of the next slice of slots, as many
    /// slots as the time since the last call earned (see the extension's comment).
    /// Every removal advances the epoch, as every removal does.
    /// - Returns: how many entries were removed.
    @discardableResult
    public func age(at now: Timestamp) -> Int {
        let nanoseconds = now.nanoseconds
        // Time going backwards (a replayed capture) earns nothing.
        let elapsed = max(0, nanoseconds - (ageingClock ?? nanoseconds))
        ageingClock = nanoseconds
        guard ageingSeconds > 0 else {
            ageingCredit = 0
            return 0
        }
        // At most one pass is ever owed: a long gap needs one pass, not several.
        let pass = MACTable.ageingPassNanoseconds
        let onePass = pass * Int64(capacity)
        ageingCredit = min(onePass, ageingCredit + min(elapsed, pass) * Int64(capacity))
        let visits = Int(min(ageingCredit / pass, Int64(MACTable.ageingSliceSlots)))
        guard visits > 0 else { return 0 }

        let nowSeconds = MACTable.seconds(now)
        var index = ageingCursor
        var visited = 0
        var removed = 0
        while visited < visits, removed < MACTable.ageingSliceRemovals {
            let slot = slots[index]
            if slot.key != 0, isExpired(slot, nowSeconds: nowSeconds), !isRevived(at: index, nowSeconds: nowSeconds) {
                // The shift may pull another entry into this slot: look again.
                removeSlot(at: index)
                removed += 1
                continue
            }
            index = (index + 1) & mask
            visited += 1
        }
        ageingCursor = index
        ageingCredit -= Int64(visited) * pass
        return removed
    }
}
