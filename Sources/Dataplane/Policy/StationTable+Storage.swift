/// The station table's storage: what an unused index holds ("no policy"), and
/// allocating, aligning and moving the per-index arrays.
extension StationTable {
    static let emptyPolicer = Policer([], at: 0)
    static let emptyRecord = StationRecord(ingress: emptyPolicer)
    static let emptyAttributes = StationAttributes(vlan: 0, flags: 0, aclCount: 0, aclStart: 0)

    /// Indexes for `count` stations: a power of two, so growth doubles.
    static func roundedCapacity(_ count: Int) -> Int {
        var capacity = 1
        while capacity < count { capacity <<= 1 }
        return capacity
    }

    /// `count` values on 64-byte boundaries (records and policers are a line each).
    static func allocateLines<T>(_ count: Int, _ empty: T) -> UnsafeMutablePointer<T> {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<T>.stride, alignment: 64)
            .bindMemory(to: T.self, capacity: count)
        storage.initialize(repeating: empty, count: count)
        return storage
    }

    /// A copy of `count` plain values of `old` in new storage of `capacity`, the
    /// rest `empty`; `old` is freed.
    static func moved<T>(_ old: UnsafeMutablePointer<T>, count: Int, to capacity: Int, lines: Bool,
                                 empty: T) -> UnsafeMutablePointer<T> {
        let storage: UnsafeMutablePointer<T>
        if lines {
            storage = allocateLines(capacity, empty)
        } else {
            storage = .allocate(capacity: capacity)
            storage.initialize(repeating: empty, count: capacity)
        }
        if count > 0 { storage.update(from: old, count: count) }
        if lines { UnsafeMutableRawPointer(old).deallocate() } else { old.deallocate() }
        return storage
    }
}
