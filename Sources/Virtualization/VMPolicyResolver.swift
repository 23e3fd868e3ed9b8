import Frames
import SwitchTypes

/// The policy of every VM and pending member, kept current one MAC at a time: a new VM,
/// a VM's new IP and a configuration change each re-resolve only the MACs they can
/// affect (`VMPolicyRule` decides each), so the cost follows what changed, not the
/// number of VMs or members. The VM table owns it and calls it under its lock.
public struct VMPolicyResolver: Sendable {
    /// The configuration resolved against.
    public private(set) var configuration = VirtConfiguration()
    /// The VLANs that exist: a policy whose VLAN does not is withheld until it does.
    public private(set) var vlans: Set<UInt16> = []
    /// The policy installed per MAC (without location hints).
    public private(set) var policies: [MACAddress: StationPolicy] = [:]
    /// The group holding each known VM.
    public private(set) var groupOf: [MACAddress: Int] = [:]
    /// The known VMs each group holds.
    private var held: [Int: Set<MACAddress>] = [:]
    /// Members kept pending because the VM they name is held by another group, per VM.
    public private(set) var conflicts: [MACAddress: [VMMemberConflict]] = [:]
    /// Each group's policy as last computed, to find the groups a change touched.
    private var groupPolicies: [Int: StationPolicy] = [:]
    /// `configuration.memberGroups` and `.bandwidth` as plain dictionaries, kept in step
    /// from the same diffs: a detection reads them several times, and a hash tree's
    /// lookup costs several cache misses where a dictionary's costs one.
    private var memberIndex: [VMReference: Int] = [:]
    private var limitsIndex: [VMReference: VMBandwidth] = [:]

    public init() {}

    /// True when `mac`'s group asks for validation.
    public func isValidated(_ mac: MACAddress) -> Bool {
        groupOf[mac].flatMap { configuration.groups[$0]?.validation } != nil
    }

    /// Adopts `new` (and the VLANs that exist), re-resolving the MACs the difference touches.
    public mutating func reconfigure(_ new: VirtConfiguration, vlans newVLANs: Set<UInt16>, vms: VMLookup,
                                     into changes: inout VMPolicyChanges) {
        let old = configuration
        let oldVLANs = vlans
        configuration = new
        vlans = newVLANs
        if new.enabled != old.enabled || new.ouiTable != old.ouiTable {
            return rebuild(vms: vms, into: &changes)
        }
        var keys = Set<MACAddress>()
        let vlansChanged = oldVLANs != newVLANs
        if old.groups != new.groups || old.profiles != new.profiles || vlansChanged {
            for number in Set(old.groups.keys).union(new.groups.keys) {
                let policy = new.groups[number].map { VMPolicyRule.policy(of: $0, in: new) }
                let vlan = policy?.vlan ?? 0
                let existenceChanged = vlan != 0 && oldVLANs.contains(vlan) != newVLANs.contains(vlan)
                guard policy != groupPolicies[number] || existenceChanged else { continue }
                groupPolicies[number] = policy
                keys.formUnion(held[number] ?? [])
                for group in [old.groups[number], new.groups[number]] {
                    for case .mac(let mac) in group?.members ?? [] { keys.insert(mac) }
                }
            }
        }
        let members = new.memberGroups.changedKeys(since: old.memberGroups)
        let limits = new.bandwidth.changedKeys(since: old.bandwidth)
        for reference in members { memberIndex[reference] = new.memberGroups[reference] }
        for reference in limits { limitsIndex[reference] = new.bandwidth[reference] }
        for reference in members.union(limits) {
            if let mac = Self.key(of: reference, in: vms) { keys.insert(mac) }
        }
        refresh(keys, vms: vms, into: &changes)
    }

    /// Re-resolves every MAC (VMready enabled or disabled, the OUI table changed, VMs forgotten).
    public mutating func rebuild(vms: VMLookup, into changes: inout VMPolicyChanges) {
        groupPolicies = [:]
        memberIndex = Dictionary(uniqueKeysWithValues: configuration.memberGroups.entries.map { ($0.key, $0.value) })
        limitsIndex = Dictionary(uniqueKeysWithValues: configuration.bandwidth.entries.map { ($0.key, $0.value) })
        for group in configuration.groups.values {
            groupPolicies[group.number] = VMPolicyRule.policy(of: group, in: configuration)
        }
        var keys = Set(policies.keys).union(groupOf.keys).union(vms.byMAC.keys)
        for reference in Array(configuration.memberGroups.entries.keys) + Array(configuration.bandwidth.entries.keys) {
            if case .mac(let mac) = reference { keys.insert(mac) }
        }
        refresh(keys, vms: vms, into: &changes)
    }

    /// Re-resolves `keys` (the VMs a detection or a new IP touched).
    public mutating func refresh(_ keys: some Sequence<MACAddress>, vms: VMLookup, into changes: inout VMPolicyChanges) {
        let index = ResolverIndex(members: memberIndex, limits: limitsIndex)
        for mac in keys { refresh(mac, vms: vms, index: index, into: &changes) }
    }

    /// The MAC a reference names now, known or (by MAC) not yet seen.
    static func key(of reference: VMReference, in vms: VMLookup) -> MACAddress? {
        if case .mac(let mac) = reference { return mac }
        return reference.resolve(in: vms)?.mac
    }

    /// Re-resolves one MAC (a detection: no set to build).
    public mutating func refresh(_ mac: MACAddress, vms: VMLookup, into changes: inout VMPolicyChanges) {
        refresh(mac, vms: vms, index: ResolverIndex(members: memberIndex, limits: limitsIndex), into: &changes)
    }

    private mutating func refresh(_ mac: MACAddress, vms: VMLookup, index: ResolverIndex, into changes: inout VMPolicyChanges) {
        let groupPolicies = self.groupPolicies
        var outcome = VMPolicyRule.outcome(for: mac, in: configuration, vms: vms, index: index) { groupPolicies[$0] }
        let vm = vms[mac]
        let owner = vm == nil ? nil : outcome.owner
        // Each map is read and written with one hash (a detection runs this for every VM).
        let previousOwner = owner.map { groupOf.updateValue($0, forKey: mac) } ?? groupOf.removeValue(forKey: mac)
        if previousOwner != owner {
            if let previousOwner { held[previousOwner]?.remove(mac) }
            if let owner { held[owner, default: []].insert(mac) }
        }
        if !outcome.conflicts.isEmpty || !conflicts.isEmpty {
            let known = conflicts[mac] ?? []
            if outcome.conflicts != known {
                changes.newConflicts += outcome.conflicts.filter { !known.contains($0) }
                conflicts[mac] = outcome.conflicts.isEmpty ? nil : outcome.conflicts
            }
        }
        if let vlan = outcome.policy?.vlan, vlan != 0, !vlans.contains(vlan) { outcome.policy = nil }
        let previous = outcome.policy.map { policies.updateValue($0, forKey: mac) } ?? policies.removeValue(forKey: mac)
        guard outcome.policy != previous else { return }
        var installed = outcome.policy
        installed?.locationHint = vm?.port
        changes.policies.updateValue(installed, forKey: mac)
        if let policy = outcome.policy, let vm, policy.vlan != 0, !policy.tagged, policy.vlan != vm.vlan,
           previous?.vlan != policy.vlan {
            changes.staleEntries.append((mac, vm.vlan))
        }
    }
}

/// The resolver's dictionaries as the rule reads them.
private struct ResolverIndex: VMMemberIndex {
    let members: [VMReference: Int]
    let limits: [VMReference: VMBandwidth]
    func group(of reference: VMReference) -> Int? { members[reference] }
    func limits(of reference: VMReference) -> VMBandwidth? { limits[reference] }
}
