import Dataplane

/// What the VMready configuration means for the VMs known right now: the policy
/// each live VM carries into the dataplane, which group each belongs to, and the
/// members still waiting to be seen. Recomputed whenever the configuration or the
/// set of known VMs changes; a VM's move changes none of it (the dataplane moves
/// the policy with the MAC by itself).
public struct VMPolicyResolution: Hashable, Sendable {
    /// Policy per live VM MAC, for `SwitchConfiguration.stationPolicies`.
    public var stationPolicies: [MACAddress: StationPolicy] = [:]
    /// The group of each live member VM.
    public var groupOf: [MACAddress: Int] = [:]
    /// Per group, the members not (yet) matching a known VM.
    public var pending: [Int: [VMReference]] = [:]
    /// VMs whose group asks for validation (`validate basic`).
    public var validated: Set<MACAddress> = []

    public init() {}

    /// Resolves `configuration` against the known `vms`. Groups are taken in
    /// ascending order, so should two groups' references come to name the same VM
    /// (an index in one, its IP in another), the lower-numbered group keeps it.
    /// - Parameter previous: the policies installed before, whose location hints are
    ///   kept so that an unchanged policy compares equal and nothing is recompiled.
    public init(_ configuration: VirtConfiguration, vms: [VMEntry],
                previous: [MACAddress: StationPolicy] = [:]) {
        guard configuration.enabled else { return }
        let lookup = VMLookup(vms)
        for group in configuration.groups.values.sorted(by: { $0.number < $1.number }) {
            let profile = group.profile.flatMap { configuration.profiles[$0] }
            for member in group.members {
                guard let vm = member.resolve(in: lookup), groupOf[vm.mac] == nil else {
                    if member.resolve(in: lookup) == nil { pending[group.number, default: []].append(member) }
                    continue
                }
                groupOf[vm.mac] = group.number
                if group.validation != nil { validated.insert(vm.mac) }
                var policy = StationPolicy()
                policy.vlan = configuration.effectiveVLAN(of: group) ?? 0
                policy.tagged = group.tagged
                policy.ingressShaping = profile?.shaping
                policy.egressShaping = profile?.egressShaping
                policy.acls = profile?.acls ?? []
                stationPolicies[vm.mac] = policy
            }
        }
        for (reference, bandwidth) in configuration.bandwidth where bandwidth.enabled {
            guard let vm = reference.resolve(in: lookup) else { continue }
            var policy = stationPolicies[vm.mac] ?? StationPolicy()
            policy.ingressLimit = bandwidth.txRate
            policy.egressLimit = bandwidth.rxRate
            stationPolicies[vm.mac] = policy
        }
        let ports = Dictionary(vms.map { ($0.mac, $0.port) }, uniquingKeysWith: { first, _ in first })
        for (mac, policy) in stationPolicies {
            // A policy with no effect need not cost the dataplane a lookup.
            guard policy != StationPolicy() else {
                stationPolicies.removeValue(forKey: mac)
                continue
            }
            stationPolicies[mac]?.locationHint = previous[mac]?.locationHint ?? ports[mac]
        }
    }
}
