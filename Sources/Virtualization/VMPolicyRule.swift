import Frames
import SwitchTypes

/// The rule deciding, for one MAC, which group holds it and what policy it carries:
/// the one place both the incremental `VMPolicyResolver` (on every detection and
/// configuration change) and the whole-table `VMPolicyResolution` (for `show`) apply.
///
/// A known VM is claimed by the members naming it now (its MAC, its index, its IP while
/// it owns it). A member naming it by MAC wins (it named the VM before it was seen);
/// otherwise the lowest group number. The other claims stay pending as conflicts. A MAC
/// not seen yet is claimed only by a member naming it by MAC, and only when its OUI is a
/// VM's: such a VM's very first frame is then classified into its group's VLAN.
struct VMPolicyRule {
    let configuration: VirtConfiguration
    let vms: VMLookup

    /// What the rule decides for one MAC.
    struct Outcome: Equatable {
        /// The group holding it (for a MAC not seen yet: the group waiting for it).
        var owner: Int?
        /// Its policy; nil when it has none (no group, no enabled limits).
        var policy: StationPolicy?
        /// The other groups' members naming it, which stay pending.
        var conflicts: [VMMemberConflict] = []
    }

    /// The references that may name `mac` now, in the order they take precedence.
    func references(to mac: MACAddress) -> [VMReference] {
        if let vm = vms[mac] { return vms.references(to: vm) }
        return configuration.ouiTable.vendor(of: mac) != nil ? [.mac(mac)] : []
    }

    /// The outcome for `mac`; `groupPolicy` gives a group's policy (cached by the caller).
    func outcome(for mac: MACAddress, groupPolicy: (Int) -> StationPolicy?) -> Outcome {
        guard configuration.enabled else { return Outcome() }
        let references = references(to: mac)
        let claims = references.compactMap { reference in
            configuration.memberGroups[reference].map { (member: reference, group: $0) }
        }
        let owner = claims.first { if case .mac = $0.member { true } else { false } }?.group
            ?? claims.map(\.group).min()
        var outcome = Outcome(owner: owner)
        if let owner {
            outcome.conflicts = claims.filter { $0.group != owner }
                .map { VMMemberConflict(group: $0.group, member: $0.member, vm: mac, heldBy: owner) }
        }
        var policy = owner.flatMap(groupPolicy) ?? StationPolicy()
        // Two references to one VM with limits (its MAC and its index, say): the first in
        // precedence sets them.
        if let limits = references.lazy.compactMap({ self.configuration.bandwidth[$0] }).first(where: \.enabled) {
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
