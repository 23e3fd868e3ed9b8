import CPrefetch

/// A `MACTable`'s slot storage and hash as a plain value, so a look-ahead loop
/// that stores as it goes keeps them in registers instead of reloading the
/// table's properties after every store. Valid until the table next grows
/// (never during a batch).
struct MACTablePrefetcher {
    let slots: UnsafeRawPointer
    let shift: UInt64

    /// Starts loading the slot where the probe for `key` begins.
    @inline(__always)
    func prefetch(key: UInt64) {
        vmready_prefetch(slots + MACTable.home(of: key, shift: shift) &* MemoryLayout<MACTableSlot>.stride)
    }
}
