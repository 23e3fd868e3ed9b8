import Frames
import SwitchTypes

/// The whole bridge configuration as an immutable value.
///
/// The control side edits a copy and publishes it (`ForwardingEngine.apply(_:)`);
/// the forwarding thread compiles it between batches. A value type makes the
/// hand-over race-free: nothing the control side does later can touch it.
public struct BridgeConfiguration: Hashable, Sendable {
    /// Most ports a switch may have: port sets are 64-bit masks on the forwarding path.
    public static let maximumPorts = 64
    /// Accepted `mac-address-table limit` values.
    public static let macLimitRange = 1...1_048_576
    /// Longest accepted ageing time, in seconds (one million seconds, ~11.5 days).
    public static let maximumAgeingSeconds = 1_000_000

    /// Ports 1...N; index 0 is port 1.
    public private(set) var ports: [PortConfiguration]
    /// The VLANs that exist.
    public var vlans: VLANTable = VLANTable()
    /// Dynamic MAC entries age out after this many seconds idle; 0 means never.
    public var macAgeingSeconds: Int = 300
    /// Most dynamic MAC entries; when reached, a new station evicts an entry of
    /// the port holding the most.
    public var macLimit: Int = 32768
    /// Most dynamic MAC entries per port (port → limit, each in `macLimitRange`);
    /// a port at its limit learns no new station. Ports absent have none.
    public var macPortLimits: [Int: Int] = [:]
    /// Configured MAC entries, at most one per (VLAN, MAC).
    public private(set) var staticMACEntries: [StaticMACEntry] = []
    /// Access-control lists by number (`ACLRule.numberRange`).
    public var acls: [Int: ACLRule] = [:]
    /// Policy that follows stations (VMs) by MAC, wherever they are learned on a
    /// `stationPolicyPorts` port.
    public var stationPolicies: [MACAddress: StationPolicy] = [:]
    /// Ports where station policies take effect (the server ports).
    public var stationPolicyPorts: Set<Int> = []
    /// The learning observer is told only of stations whose MAC has one of these OUIs
    /// (nil: of every station), so a flood of other new MACs costs it nothing.
    public var reportedOUIs: Set<UInt32>?
    /// EtherTypes whose frames go to the control plane whatever their destination
    /// (as frames to 01:80:c2:00:00:00-0f always do): the protocol agents register
    /// theirs (ECP 0x8940, ...). LLDP's is there from the start.
    public var puntEtherTypes: Set<UInt16> = [BridgeConfiguration.lldpEtherType]
    /// LLDP's EtherType, punted by default.
    public static let lldpEtherType: UInt16 = 0x88cc
    /// `vnic enable`: without it no vNIC takes part, whatever is configured.
    public var vnicEnabled = false
    /// Ports' vNICs and vNIC modes (`vnic port P ...`), by physical port.
    public var vnicPorts: [Int: VNICPortConfiguration] = [:]
    /// vNIC groups by number (`VNICGroup.numberRange`).
    public var vnicGroups: [Int: VNICGroup] = [:]

    /// A switch with `portCount` ports, every one at its defaults.
    /// - Throws: `BridgeConfigurationError.invalidPortCount` outside 1...64.
    public init(portCount: Int = 8) throws(BridgeConfigurationError) {
        guard (1...BridgeConfiguration.maximumPorts).contains(portCount) else {
            throw .invalidPortCount(portCount)
        }
        ports = Array(repeating: PortConfiguration(), count: portCount)
    }

    /// Number of ports.
    public var portCount: Int { ports.count }

    /// Port `port` (1-based) configuration. Reading or writing an invalid port traps,
    /// like an array index: check with `isValidPort` first.
    public subscript(port port: Int) -> PortConfiguration {
        get { ports[port - 1] }
        set { ports[port - 1] = newValue }
    }

    /// True for 1...portCount.
    public func isValidPort(_ port: Int) -> Bool { (1...ports.count).contains(port) }

    /// Adds or replaces the static entry for (entry.vlan, entry.mac).
    /// - Throws: when the port, VLAN or address is invalid.
    public mutating func addStaticMACEntry(_ entry: StaticMACEntry) throws(BridgeConfigurationError) {
        guard isValidPort(entry.port) else { throw .invalidPort(entry.port) }
        guard VLANSet.validRange.contains(entry.vlan) else { throw .invalidVLAN(Int(entry.vlan)) }
        guard !entry.mac.isMulticast, entry.mac != .zero else { throw .invalidStaticMAC(entry.mac) }
        removeStaticMACEntry(mac: entry.mac, vlan: entry.vlan)
        // Kept in (VLAN, MAC) order, the order the configuration renders them in, so that
        // two switches holding the same entries hold equal configurations.
        let at = staticMACEntries.firstIndex { ($0.vlan, $0.mac) > (entry.vlan, entry.mac) } ?? staticMACEntries.endIndex
        staticMACEntries.insert(entry, at: at)
    }

    /// Removes the static entry for (vlan, mac), if any; returns whether one existed.
    @discardableResult
    public mutating func removeStaticMACEntry(mac: MACAddress, vlan: UInt16) -> Bool {
        let before = staticMACEntries.count
        staticMACEntries.removeAll { $0.mac == mac && $0.vlan == vlan }
        return staticMACEntries.count != before
    }

    /// Checks every value the setters cannot check on their own.
    /// - Throws: the first problem found.
    public func validate() throws(BridgeConfigurationError) {
        guard BridgeConfiguration.macLimitRange.contains(macLimit) else { throw .invalidMACLimit(macLimit) }
        for (port, limit) in macPortLimits {
            guard isValidPort(port) else { throw .invalidPort(port) }
            guard BridgeConfiguration.macLimitRange.contains(limit) else { throw .invalidMACLimit(limit) }
        }
        guard (0...BridgeConfiguration.maximumAgeingSeconds).contains(macAgeingSeconds) else {
            throw .invalidAgeingTime(macAgeingSeconds)
        }
        for port in ports {
            for vlan in [port.accessVLAN, port.nativeVLAN] where !VLANSet.validRange.contains(vlan) {
                throw .invalidVLAN(Int(vlan))
            }
        }
        for entry in staticMACEntries where !isValidPort(entry.port) { throw .invalidPort(entry.port) }
        for number in acls.keys where !ACLRule.allNumbers.contains(number) { throw .invalidACL(number) }
        for port in ports {
            for number in port.acls where acls[number] == nil { throw .noSuchACL(number) }
        }
        for port in stationPolicyPorts where !isValidPort(port) { throw .invalidPort(port) }
        // A length (below 0x0600) or a tag type would take ordinary traffic away from forwarding.
        for type in puntEtherTypes where type < 0x0600 || type == EtherType.vlan || type == EtherType.serviceVLAN {
            throw .invalidPuntEtherType(type)
        }
        for policy in stationPolicies.values {
            try BridgeConfiguration.validate(stationPolicy: policy, portCount: portCount)
            for number in policy.acls where acls[number] == nil { throw .noSuchACL(number) }
        }
        try validateVNICs()
    }
}
