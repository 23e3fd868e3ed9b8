import Frames
import SwitchTypes

/// Where the rule finds what the configuration says about a reference: the configuration's
/// own persistent maps (`show`), or the resolver's dictionaries kept in step with them.
protocol VMMemberIndex {
    /// The group listing `reference`.
    func group(of reference: VMReference) -> Int?
    /// The limits set for `reference`.
    func limits(of reference: VMReference) -> VMBandwidth?
}

extension VirtConfiguration: VMMemberIndex {
    func group(of reference: VMReference) -> Int? { memberGroups[reference] }
    func limits(of reference: VMReference) -> VMBandwidth? { bandwidth[reference] }
}

/// The rule deciding, for one MAC, which group holds it and what policy it carries:
/// the one place both the incremental `VMPolicyResolver` (on every detection and
/// configuration change) and the whole-table `VMPolicyResolution` (for `show`) apply.
///
/// A known VM is claimed by the members naming it now (its MAC, its index, its IP while
/// it owns it). A member naming it by MAC wins (it named the VM before it was seen);
/// otherwise the lowest group number. The other claims stay pending as conflicts. A MAC
/// not seen yet is claimed only by a member naming it by MAC, and only when its OUI is a
/// VM's: such a VM's very first frame is then classified into its group's VLAN.
enum VMPolicyRule {
    /// What the rule decides for one MAC.
    struct Outcome: Equatable {
        /// The group holding it (for a MAC not seen yet: the group waiting for it).
        var owner: Int?
        /// Its policy; nil when it has none (no group, no enabled limits).
        var policy: StationPolicy?
        /// The other groups' members naming it, which stay pending.
        var conflicts: [VMMemberConflict] = []
    }

    /// The outcome for `mac`; `groupPolicy` gives a group's policy (cached by the caller).
    static func outcome(for mac: MACAddress, in configuration: VirtConfiguration, vms: VMLookup,
                        index: some VMMemberIndex, groupPolicy: (Int) -> StationPolicy?) -> Outcome {
        guard configuration.enabled else { return Outcome() }
        let vm = vms[mac]
        guard vm != nil || configuration.ouiTable.vendor(of: mac) != nil else { return Outcome() }
        // The references that may name `mac` now, in the order they take precedence (no
        // array: this runs for every VM detected).
        let byMAC = VMReference.mac(mac)
        let byIndex = vm.map { VMReference.index($0.index) }
        let byIP = vm.flatMap(vms.ipReference(to:))
        var outcome = Outcome()
        if !configuration.memberGroups.isEmpty {
            let macGroup = index.group(of: byMAC)
            let indexGroup = byIndex.flatMap(index.group(of:))
            let ipGroup = byIP.flatMap(index.group(of:))
            let otherGroup = indexGroup.map { min($0, ipGroup ?? $0) } ?? ipGroup
            let owner = macGroup ?? otherGroup
            outcome.owner = owner
            func conflict(_ reference: VMReference?, _ group: Int?) {
                guard let owner, let reference, let group, group != owner else { return }
                outcome.conflicts.append(VMMemberConflict(group: group, member: reference, vm: mac, heldBy: owner))
            }
            conflict(byMAC, macGroup)
            conflict(byIndex, indexGroup)
            conflict(byIP, ipGroup)
        }
        var policy = outcome.owner.flatMap(groupPolicy) ?? StationPolicy()
        // Two references to one VM with limits (its MAC and its index, say): the first in
        // precedence sets them.
        if !configuration.bandwidth.isEmpty,
           let limits = [byMAC, byIndex, byIP].lazy.compactMap({ $0.flatMap(index.limits(of:)) }).first(where: \.enabled) {
            policy.ingressLimit = limits.txRate
            policy.egressLimit = limits.rxRate
        }
        outcome.policy = policy == StationPolicy() ? nil : policy
        return outcome
    }

    /// The policy a member of `group` carries.
    static func policy(of group: VMGroup, in configuration: VirtConfiguration) -> StationPolicy {
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
