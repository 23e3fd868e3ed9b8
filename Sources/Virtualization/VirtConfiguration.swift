import Frames

/// The whole VMready configuration as a value: what the running-config holds
/// under `virt` and `system server-ports`. Each edit checks the rules that only
/// need this value (one group per VM, one source for a group's VLAN, profiles in
/// use); the switch checks what needs the bridge (VLANs and ACLs that exist).
public struct VirtConfiguration: Hashable, Sendable {
    /// `virt enable`.
    public var enabled = false
    /// `virt oui ...`.
    public var ouiTable = OUITable.defaults
    /// `system server-ports port LIST`.
    public var serverPorts: Set<Int> = []
    /// Groups by number.
    public private(set) var groups: [Int: VMGroup] = [:]
    /// Profiles by name.
    public private(set) var profiles: [String: VMProfile] = [:]
    /// `virt vmcheck ...`.
    public var vmcheck = VMCheckSettings()
    /// `virt vmpolicy vmbwidth ...` per VM.
    public private(set) var bandwidth = DiffableTreeMap<VMReference, VMBandwidth>()
    /// The group of every member, whichever group lists it: a reference is in one group at
    /// most, and the VM layer finds what a VM's references claim without scanning groups.
    public private(set) var memberGroups = DiffableTreeMap<VMReference, Int>()
    /// `virt vm limit N`: most VMs the VM table holds.
    public var vmLimit = VirtConfiguration.defaultVMLimit
    /// The default `virt vm limit`.
    public static let defaultVMLimit = 65_536
    /// Accepted `virt vm limit` values.
    public static let vmLimitRange = 1...262_144

    public init() {}

    // MARK: Groups

    /// The group, created empty when missing (`virt vmgroup N`).
    public mutating func ensureGroup(_ number: Int) throws(VirtError) {
        guard VMGroup.numberRange.contains(number) else {
            throw VirtError("VM group \(number) is out of range (1-4096)")
        }
        if groups[number] == nil { groups[number] = VMGroup(number: number) }
    }

    /// A group the switch makes itself (`VMGroup.implicitRange`): `vlan` (`tagged` when its
    /// members tag their own frames), `profile` and its members by MAC, replacing any group of
    /// that number. A member another group holds stays that group's.
    public mutating func setImplicitGroup(_ number: Int, vlan: UInt16?, tagged: Bool, profile: String?, members: [MACAddress]) {
        guard VMGroup.implicitRange.contains(number) else { return }
        if let old = groups[number] { for member in old.members { memberGroups[member] = nil } }
        var group = VMGroup(number: number)
        group.vlan = vlan
        group.tagged = tagged
        if let profile, let known = profiles[profile] {
            // A group takes its VLAN from one place: a profile naming the same VLAN gives it;
            // a profile naming another contradicts the group's, whose VLAN then wins alone.
            if known.vlan == nil {
                group.profile = profile
            } else if known.vlan == vlan {
                group.vlan = nil
                group.profile = profile
            }
        }
        groups[number] = group
        for mac in members where memberGroups[.mac(mac)] == nil {
            if groups[number]?.members.insert(.mac(mac)) == true { memberGroups[.mac(mac)] = number }
        }
    }

    /// A profile the switch makes itself (a policy database's), under a name no operator's
    /// profile can have (`VMProfile.isValidName` refuses it): never in the running-config.
    public mutating func setImplicitProfile(_ profile: VMProfile) {
        guard !VMProfile.isValidName(profile.name) else { return }
        profiles[profile.name] = profile
    }

    /// `no virt vmgroup N`: refused while the group has members (VMs or static ports),
    /// so that one line cannot silently move VMs out of their VLAN.
    public mutating func removeGroup(_ number: Int) throws(VirtError) {
        guard let group = groups[number] else { throw VirtError("VM group \(number) does not exist") }
        guard group.members.isEmpty, group.ports.isEmpty else {
            throw VirtError("VM group \(number) has members; remove them first")
        }
        groups.removeValue(forKey: number)
    }

    /// Edits group `number` (created when missing), checking the group-level rules on the result.
    public mutating func editGroup(_ number: Int, _ edit: (inout VMGroup) throws(VirtError) -> Void) throws(VirtError) {
        try ensureGroup(number)
        guard var group = groups[number] else { return }
        try edit(&group)
        if group.vlan != nil, let name = group.profile, profiles[name]?.vlan != nil {
            throw VirtError("VM group \(number) takes its VLAN from profile \(name); remove one of the two first")
        }
        if let name = group.profile, profiles[name] == nil { throw VirtError("VM profile \(name) does not exist") }
        groups[number] = group
    }

    /// Adds `member` to group `number`. A VM belongs to at most one group: refused when
    /// another group lists the same reference, or another of `alike` (the references naming
    /// the VM `member` names now). Costs what the member touches, not the number of members.
    public mutating func addMember(_ member: VMReference, toGroup number: Int, alike: [VMReference] = []) throws(VirtError) {
        for reference in [member] + alike {
            if let other = memberGroups[reference], other != number {
                throw VirtError("VM \(member) is already a member of VM group \(other)")
            }
        }
        try editGroup(number) { _ throws(VirtError) in }
        if groups[number]?.members.insert(member) == true { memberGroups[member] = number }
    }

    /// Removes `member` from group `number`.
    public mutating func removeMember(_ member: VMReference, fromGroup number: Int) throws(VirtError) {
        guard groups[number] != nil else { throw VirtError("VM group \(number) does not exist") }
        guard groups[number]?.members.remove(member) == true else {
            throw VirtError("VM \(member) is not a member of VM group \(number)")
        }
        memberGroups[member] = nil
    }

    /// The groups using `profile`.
    public func groupsUsing(profile: String) -> [Int] {
        groups.values.filter { $0.profile == profile }.map(\.number).sorted()
    }

    /// The group whose VLAN is `vlan` (own or through its profile), if any.
    public func groupsUsing(vlan: UInt16) -> [Int] {
        groups.values.filter { effectiveVLAN(of: $0) == vlan }.map(\.number).sorted()
    }

    /// A group's VLAN: its own, else its profile's.
    public func effectiveVLAN(of group: VMGroup) -> UInt16? {
        group.vlan ?? group.profile.flatMap { profiles[$0]?.vlan }
    }

    // MARK: Profiles

    /// Creates the profile when missing (`virt vmprofile NAME`).
    public mutating func ensureProfile(_ name: String) throws(VirtError) {
        guard VMProfile.isValidName(name) else {
            throw VirtError("Profile names are 1-\(VMProfile.maximumNameLength) letters, digits, '-', '_' or '.'")
        }
        if profiles[name] == nil { profiles[name] = VMProfile(name: name) }
    }

    /// Edits profile `name` (created when missing).
    public mutating func editProfile(_ name: String, _ edit: (inout VMProfile) throws(VirtError) -> Void) throws(VirtError) {
        try ensureProfile(name)
        guard var profile = profiles[name] else { return }
        try edit(&profile)
        if profile.vlan != nil,
           let group = groups.values.sorted(by: { $0.number < $1.number })
               .first(where: { $0.profile == name && $0.vlan != nil }) {
            throw VirtError("VM group \(group.number) uses profile \(name) and has its own VLAN; remove one of the two first")
        }
        profiles[name] = profile
    }

    /// `no virt vmprofile NAME`: refused while a group uses it.
    public mutating func removeProfile(_ name: String) throws(VirtError) {
        guard profiles[name] != nil else { throw VirtError("VM profile \(name) does not exist") }
        let users = groups.values.filter { $0.profile == name }.map(\.number).sorted()
        guard users.isEmpty else {
            throw VirtError("VM profile \(name) is used by VM group \(users.map(String.init).joined(separator: ", "))")
        }
        profiles.removeValue(forKey: name)
    }

    /// ACL numbers some profile applies.
    public var aclsInUse: Set<Int> { Set(profiles.values.flatMap(\.acls)) }

    // MARK: Bandwidth

    /// Edits the bandwidth entry of `vm`; an entry left empty is removed.
    public mutating func editBandwidth(_ vm: VMReference, _ edit: (inout VMBandwidth) -> Void) {
        var entry = bandwidth[vm] ?? VMBandwidth()
        edit(&entry)
        bandwidth[vm] = entry.isEmpty ? nil : entry
    }

    // MARK: Ports

    /// Forgets every reference to ports above `portCount` (never needed by the CLI,
    /// which refuses them, but keeps a value built elsewhere consistent).
    public func usesOnlyPorts(upTo portCount: Int) -> Bool {
        let all = serverPorts.union(vmcheck.trustedPorts).union(groups.values.flatMap(\.ports))
        return all.allSatisfy { (1...portCount).contains($0) }
    }
}
