import CPrefetch

/// A `MACTable`'s slot storage and hash as a plain value, so a look-ahead loop
/// that stores as it goes keeps them in registers instead of reloading the
/// table's properties after every store. Valid until the table next grows
/// (never during a batch).
struct MACTablePrefetcher {
    let slots: UnsafeRawPointer
    let shift: UInt64

    /// Starts loading the slot where the probe for `key` begins.
    /// - Returns: that slot's index, for `stationTag(at:)`.
    @inline(__always) @discardableResult
    func prefetch(key: UInt64) -> Int {
        let home = MACTable.home(of: key, shift: shift)
        vmready_prefetch(slots + home &* MemoryLayout<MACTableSlot>.stride)
        return home
    }

    /// The station tag in slot `index`, whatever key the slot holds: a guess at
    /// the tag of the key whose probe starts there, good for prefetching only.
    @inline(__always)
    func stationTag(at index: Int) -> UInt16 {
        slots.load(fromByteOffset: index &* MemoryLayout<MACTableSlot>.stride &+ MACTableSlot.flagsOffset,
                   as: UInt16.self) &>> 1
    }
}
