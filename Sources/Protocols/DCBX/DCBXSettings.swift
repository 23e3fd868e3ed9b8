import Frames

/// What the switch configures for DCBX (IEEE 802.1Qaz): its ETS priority groups, its PFC
/// priorities and its application priorities (`dcbx ...`), and per port what it
/// advertises and whether it is willing to take the peer's values.
public struct DCBXSettings: Hashable, Sendable {
    /// One ETS priority group (a traffic class): its priorities and its share of the link.
    public struct PriorityGroup: Hashable, Sendable {
        public var priorities: Set<UInt8>
        public var bandwidth: UInt8

        public init(priorities: Set<UInt8>, bandwidth: UInt8) {
            self.priorities = priorities
            self.bandwidth = bandwidth
        }
    }

    /// Per port (`dcbx advertise ...`, `dcbx willing`).
    public struct Port: Hashable, Sendable {
        public var advertiseETS = true
        public var advertisePFC = true
        public var advertiseApplications = true
        public var willing = false

        public init() {}
    }

    /// `dcbx enable` (default off).
    public var enabled = false
    /// Priority groups by traffic class 0-7.
    public var priorityGroups: [UInt8: PriorityGroup] = [:]
    /// Priorities with PFC enabled.
    public var pfcPriorities: Set<UInt8> = []
    public var applications: [ApplicationPriorityEntry] = []

    public init() {}

    /// Why the ETS groups cannot be used, or nil: a priority in two groups, a priority or
    /// traffic class out of range, or bandwidths that do not add up to 100.
    public var etsProblem: String? {
        var seen: [UInt8: UInt8] = [:]
        for (group, settings) in priorityGroups.sorted(by: { $0.key < $1.key }) {
            guard group < 8 else { return "Priority group \(group) is out of range (0-7)" }
            for priority in settings.priorities.sorted() {
                guard priority < 8 else { return "Priority \(priority) is out of range (0-7)" }
                if let other = seen[priority] { return "Priority \(priority) is already in priority group \(other)" }
                seen[priority] = group
            }
        }
        let total = priorityGroups.values.reduce(0) { $0 + Int($1.bandwidth) }
        guard priorityGroups.isEmpty || total == 100 else {
            return "ETS bandwidths add up to \(total)%; they must add up to 100%"
        }
        return nil
    }

    /// The ETS tables the groups make: each priority in its group's traffic class (priorities
    /// in no group in class 0), ETS with the group's bandwidth for configured classes, strict
    /// priority with none for the others. No group at all: everything in class 0 at 100%.
    public var etsTables: ETSTables {
        var classOf = [UInt8](repeating: 0, count: 8)
        var bandwidth = [UInt8](repeating: 0, count: 8)
        var algorithm = [UInt8](repeating: TransmissionSelection.strictPriority, count: 8)
        if priorityGroups.isEmpty {
            bandwidth[0] = 100
            algorithm[0] = TransmissionSelection.enhancedTransmissionSelection
        }
        for (group, settings) in priorityGroups where group < 8 {
            for priority in settings.priorities where priority < 8 { classOf[Int(priority)] = group }
            bandwidth[Int(group)] = settings.bandwidth
            algorithm[Int(group)] = TransmissionSelection.enhancedTransmissionSelection
        }
        return ETSTables(priorityTrafficClass: classOf, trafficClassBandwidth: bandwidth, trafficClassAlgorithm: algorithm)
    }

    /// The PFC enable bitmap (bit n: priority n).
    public var pfcBitmap: UInt8 { pfcPriorities.filter { $0 < 8 }.reduce(0) { $0 | 1 << $1 } }
}
