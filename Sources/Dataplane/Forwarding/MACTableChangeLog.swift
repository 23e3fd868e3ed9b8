/// The keys of MAC table entries that were added, moved, retagged or removed since the
/// last drain, for a copy of the table kept elsewhere (the XDP fast path's station map).
///
/// A fixed ring, allocated once: recording is a store and an increment, made only when an
/// entry changes (a new or moved station, a removal), never for a refresh, so known
/// traffic costs nothing. When more changes arrive than it holds, or a change touches
/// every entry (a retag, a rebuild), it says so with `needsResync` instead: the copy must
/// then be rebuilt from the whole table.
final class MACTableChangeLog {
    let capacity: Int
    private let keys: UnsafeMutablePointer<UInt64>
    private var start = 0
    /// Keys recorded and not drained yet.
    private(set) var count = 0
    /// The log overflowed or every entry changed: rebuild the copy from the table.
    var needsResync = false

    init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
        keys = .allocate(capacity: self.capacity)
    }

    deinit { keys.deallocate() }

    /// Notes that `key`'s entry changed (the table's current state is what the reader copies).
    @inline(__always)
    func record(_ key: UInt64) {
        guard !needsResync else { return }
        guard count < capacity else {
            markResync()
            return
        }
        keys[(start + count) % capacity] = key
        count += 1
    }

    /// Every entry may have changed: forget the keys, rebuild the copy.
    func markResync() {
        needsResync = true
        start = 0
        count = 0
    }

    /// Takes up to `limit` keys, oldest first (a key may come twice: the reader looks up
    /// the table's current state each time, so that is harmless).
    func drain(limit: Int, _ body: (UInt64) -> Void) {
        let taken = min(limit, count)
        for offset in 0..<taken { body(keys[(start + offset) % capacity]) }
        start = (start + taken) % capacity
        count -= taken
    }
}
