/// The MAC table's size and limits at the moment of a snapshot.
public struct MACTableStatistics: Hashable, Sendable {
    /// Entries stored (dynamic + static).
    public var count: Int
    /// Dynamic entries stored.
    public var dynamicCount: Int
    /// Static entries stored.
    public var staticCount: Int
    /// Most dynamic entries.
    public var limit: Int
    /// Slots allocated.
    public var capacity: Int
    /// Bytes of slot storage.
    public var storageBytes: Int
    /// Stations not learned because the table was full and nothing could be evicted.
    public var refusedLearnCount: UInt64
    /// Stations not learned because their port held its limit.
    public var portLimitRefusedCount: UInt64
    /// Dynamic entries evicted to make room in a full table.
    public var evictedCount: UInt64

    /// Idle seconds before expiry; 0 = never.
    public var ageingSeconds: Int

    /// Reads the statistics of `table`.
    public init(_ table: MACTable) {
        count = table.count
        dynamicCount = table.dynamicCount
        staticCount = table.staticCount
        limit = table.limit
        capacity = table.capacity
        storageBytes = table.storageBytes
        refusedLearnCount = table.refusedLearnCount
        portLimitRefusedCount = table.portLimitRefusedCount
        evictedCount = table.evictedCount
        ageingSeconds = table.ageingSeconds
    }
}
