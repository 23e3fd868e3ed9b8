import Frames
import SwitchTypes

extension BridgeConfiguration {
    /// Most station policies the dataplane installs (`stationPolicies` or
    /// `ForwardingEngine.updateStationPolicies`): policies for more stations are
    /// refused and counted (`StationTableStatistics.refusedCount`). About 250 MB
    /// of station state at the bound.
    public static let maximumStationPolicies = 1_048_576

    /// Checks what can be checked of one station policy without the rest of the
    /// configuration: its VLAN (1-4094, or 0 for none), its location hint (a port
    /// of a switch with `portCount` ports) and its ACL numbers' range. (Whether
    /// those ACLs are defined is not: an undefined one is inactive until defined.)
    /// - Throws: the first problem found.
    public static func validate(stationPolicy policy: StationPolicy, portCount: Int) throws(BridgeConfigurationError) {
        if policy.vlan != 0, !VLANSet.validRange.contains(policy.vlan) { throw .invalidVLAN(Int(policy.vlan)) }
        if let hint = policy.locationHint, !(1...portCount).contains(hint) { throw .invalidPort(hint) }
        for number in policy.acls where !ACLRule.numberRange.contains(number) { throw .invalidACL(number) }
    }
}
