import Frames
import SwitchTypes

/// What the VMready configuration means for the VMs known right now: the policy
/// each VM carries into the dataplane, which group each belongs to, and the
/// members still waiting to be seen. Recomputed whenever the configuration or the
/// set of known VMs changes; a VM's move changes none of it (the dataplane moves
/// the policy with the MAC by itself).
public struct VMPolicyResolution: Hashable, Sendable {
    /// Policy per VM MAC, for `BridgeConfiguration.stationPolicies`: the known member
    /// VMs, and the pending members named by a MAC of a VM OUI, so that such a VM's
    /// very first frame is already classified into its group's VLAN (the dataplane
    /// applies it on its own when it learns the MAC on a server port, as for a move).
    public var stationPolicies: [MACAddress: StationPolicy] = [:]
    /// The group of each known member VM.
    public var groupOf: [MACAddress: Int] = [:]
    /// Per group, the members not (yet) matching a known VM, or matching one another
    /// group holds (see `conflicts`), in the order they were added.
    public var pending: [Int: [VMReference]] = [:]
    /// Members kept pending because the VM they name is held by another group.
    public var conflicts: [VMMemberConflict] = []
    /// VMs whose group asks for validation (`validate basic`).
    public var validated: Set<MACAddress> = []

    public init() {}

    /// Resolves `configuration` against the known `vms`. A member naming a VM by MAC
    /// claims it first (it named the VM before it was seen); then the others, groups
    /// in ascending order. A member whose VM another group already holds stays
    /// pending and is listed in `conflicts`: a VM is in one group at most.
    /// - Parameter previous: the policies installed before, whose location hints are
    ///   kept so that an unchanged policy compares equal and nothing is recompiled.
    public init(_ configuration: VirtConfiguration, vms: [VMEntry],
                previous: [MACAddress: StationPolicy] = [:]) {
        guard configuration.enabled else { return }
        let lookup = VMLookup(vms)
        let groups = configuration.groups.values.sorted { $0.number < $1.number }
        for group in groups {
            for case .mac(let mac) in group.members where lookup.byMAC[mac] != nil && groupOf[mac] == nil {
                groupOf[mac] = group.number
            }
        }
        for group in groups {
            let policy = Self.policy(of: group, in: configuration)
            for member in group.members {
                if let vm = member.resolve(in: lookup) {
                    let owner = groupOf[vm.mac] ?? group.number
                    guard owner == group.number else {
                        pending[group.number, default: []].append(member)
                        conflicts.append(VMMemberConflict(group: group.number, member: member, vm: vm.mac, heldBy: owner))
                        continue
                    }
                    apply(policy, to: vm.mac, of: group)
                } else {
                    pending[group.number, default: []].append(member)
                    // Not seen yet, but certain to be this VM once seen on a server port.
                    if case .mac(let mac) = member, configuration.ouiTable.vendor(of: mac) != nil {
                        stationPolicies[mac] = policy
                        if group.validation != nil { validated.insert(mac) }
                    }
                }
            }
        }
        // Two references to one VM (its MAC and its index, say): the first in reference
        // order (MACs first) sets its limits, whatever order the dictionary holds them in.
        var limited = Set<MACAddress>()
        for (reference, bandwidth) in configuration.bandwidth.sorted(by: { $0.key < $1.key }) where bandwidth.enabled {
            let target: MACAddress?
            if let vm = reference.resolve(in: lookup) {
                target = vm.mac
            } else if case .mac(let mac) = reference, configuration.ouiTable.vendor(of: mac) != nil {
                target = mac
            } else {
                target = nil
            }
            guard let mac = target, limited.insert(mac).inserted else { continue }
            var policy = stationPolicies[mac] ?? StationPolicy()
            policy.ingressLimit = bandwidth.txRate
            policy.egressLimit = bandwidth.rxRate
            stationPolicies[mac] = policy
        }
        let ports = Dictionary(vms.map { ($0.mac, $0.port) }, uniquingKeysWith: { first, _ in first })
        for (mac, policy) in stationPolicies {
            // A policy with no effect need not cost the dataplane a lookup.
            guard policy != StationPolicy() else {
                stationPolicies.removeValue(forKey: mac)
                continue
            }
            // A policy installed before keeps its hint (nil for a member installed while
            // pending: the dataplane learned it itself), so detection recompiles nothing.
            if let installed = previous[mac] {
                stationPolicies[mac]?.locationHint = installed.locationHint
            } else {
                stationPolicies[mac]?.locationHint = ports[mac]
            }
        }
    }

    private mutating func apply(_ policy: StationPolicy, to mac: MACAddress, of group: VMGroup) {
        groupOf[mac] = group.number
        if group.validation != nil { validated.insert(mac) }
        stationPolicies[mac] = policy
    }

    /// The policy a member of `group` carries.
    private static func policy(of group: VMGroup, in configuration: VirtConfiguration) -> StationPolicy {
        let profile = group.profile.flatMap { configuration.profiles[$0] }
        var policy = StationPolicy()
        policy.vlan = configuration.effectiveVLAN(of: group) ?? 0
        policy.tagged = group.tagged
        policy.ingressShaping = profile?.shaping
        policy.egressShaping = profile?.egressShaping
        policy.acls = profile?.acls ?? []
        return policy
    }
}

/// A group member naming a VM that another group holds: it stays pending.
public struct VMMemberConflict: Hashable, Sendable {
    /// The group whose member lost.
    public var group: Int
    public var member: VMReference
    /// The VM it names.
    public var vm: MACAddress
    /// The group holding the VM.
    public var heldBy: Int

    public init(group: Int, member: VMReference, vm: MACAddress, heldBy: Int) {
        self.group = group
        self.member = member
        self.vm = vm
        self.heldBy = heldBy
    }

    /// The `show logging` line.
    public var message: String {
        "VM group \(group) member \(member) stays pending: VM \(vm) is already in VM group \(heldBy)"
    }
}
