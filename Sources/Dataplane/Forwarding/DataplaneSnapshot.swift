import SwitchTypes

/// A consistent picture of the dataplane, taken between two batches: what the
/// `show` commands print.
public struct DataplaneSnapshot: Hashable, Sendable {
    /// Switch time of the snapshot.
    public var time: Timestamp
    /// The configuration in effect.
    public var configuration: BridgeConfiguration
    /// Every port's counters, port 1 first.
    public var counters: [PortCounters]
    /// Every configured vNIC's counters, in port then index order.
    public var vnicCounters: [PortCounters] = []
    /// Live MAC table entries, sorted by MAC then VLAN.
    public var macEntries: [MACTableEntry]
    /// MAC table size and limits.
    public var macTable: MACTableStatistics
    /// Station policies installed, the bound, and those refused.
    public var stations: StationTableStatistics
    /// What each attached port is attached to, e.g. `veth1`, `file:/tmp/in.pcap`, `memory`.
    public var attachments: [Int: String] = [:]

    /// Creates a snapshot.
    public init(time: Timestamp, configuration: BridgeConfiguration, counters: [PortCounters],
                macEntries: [MACTableEntry], macTable: MACTableStatistics,
                stations: StationTableStatistics = StationTableStatistics(), attachments: [Int: String] = [:]) {
        self.time = time
        self.configuration = configuration
        self.counters = counters
        self.macEntries = macEntries
        self.macTable = macTable
        self.stations = stations
        self.attachments = attachments
    }
}
