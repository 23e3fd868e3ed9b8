import Frames
import SwitchTypes

/// What the VMready configuration means for every VM known right now, computed in one
/// pass with `VMPolicyRule`: the policy each VM (and each pending member named by a VM
/// MAC) carries, which group holds each VM, and the members still waiting. `show`
/// commands read it; the switch itself keeps the same answers current one VM at a time
/// (`VMPolicyResolver`), and the tests hold the two to each other.
public struct VMPolicyResolution: Hashable, Sendable {
    /// Policy per MAC: the known member VMs, and the pending members named by a MAC of a
    /// VM OUI (installed before the VM is seen, so its first frame is already classified).
    public var stationPolicies: [MACAddress: StationPolicy] = [:]
    /// The group of each known member VM.
    public var groupOf: [MACAddress: Int] = [:]
    /// Per group, the members not (yet) matching a known VM, or matching one another
    /// group holds (see `conflicts`), in the order they were added.
    public var pending: [Int: [VMReference]] = [:]
    /// Members kept pending because the VM they name is held by another group, by group.
    public var conflicts: [VMMemberConflict] = []
    /// VMs whose group asks for validation (`validate basic`).
    public var validated: Set<MACAddress> = []

    public init() {}

    /// Resolves `configuration` against the known `vms`.
    public init(_ configuration: VirtConfiguration, vms: [VMEntry]) {
        guard configuration.enabled else { return }
        let lookup = VMLookup(vms)
        var policies: [Int: StationPolicy] = [:]
        for group in configuration.groups.values { policies[group.number] = VMPolicyRule.policy(of: group, in: configuration) }
        var keys = Set(vms.map(\.mac))
        for case .mac(let mac) in Array(configuration.memberGroups.entries.keys) + Array(configuration.bandwidth.entries.keys) {
            keys.insert(mac)
        }
        for mac in keys {
            let outcome = VMPolicyRule.outcome(for: mac, in: configuration, vms: lookup, index: configuration) { policies[$0] }
            if let policy = outcome.policy { stationPolicies[mac] = policy }
            guard let owner = outcome.owner else { continue }
            if configuration.groups[owner]?.validation != nil { validated.insert(mac) }
            if lookup[mac] != nil { groupOf[mac] = owner }
        }
        for group in configuration.groups.values.sorted(by: { $0.number < $1.number }) {
            for member in group.members {
                let vm = member.resolve(in: lookup)
                let owner = vm.flatMap { groupOf[$0.mac] }
                guard owner != group.number else { continue }
                pending[group.number, default: []].append(member)
                if let vm, let owner {
                    conflicts.append(VMMemberConflict(group: group.number, member: member, vm: vm.mac, heldBy: owner))
                }
            }
        }
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
