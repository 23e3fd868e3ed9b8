/// The station table's size and bound at the moment of a snapshot.
public struct StationTableStatistics: Hashable, Sendable {
    /// Station policies installed.
    public var count: Int
    /// Most station policies installed (`BridgeConfiguration.maximumStationPolicies`).
    public var maximum: Int
    /// Station policies refused because the table was at `maximum` (since the
    /// counters were last cleared).
    public var refusedCount: UInt64

    public init(count: Int = 0, maximum: Int = BridgeConfiguration.maximumStationPolicies, refusedCount: UInt64 = 0) {
        self.count = count
        self.maximum = maximum
        self.refusedCount = refusedCount
    }
}
