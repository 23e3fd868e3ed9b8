import Frames
import PolicyDB
import Virtualization

extension SwitchState {
    /// The name a database profile goes by on the switch: one no operator's profile can
    /// have, so that a local `web` and the database's `web` never mix.
    static func policyDBProfileName(_ name: String) -> String { "db:" + name }

    /// Why the switch cannot apply `profile` as it stands, nil when it can: the database is
    /// shared, but VLANs and ACLs are each switch's own (policy-db.md: a bad row is reported
    /// and skipped, never applied half).
    func policyDBProblem(_ profile: PolicyProfile) -> String? {
        if let problem = profile.validate() { return problem }
        guard bridge.vlans.contains(profile.vlan) else {
            return "profile \(profile.name): VLAN \(profile.vlan) does not exist on this switch"
        }
        if let missing = profile.acls.first(where: { bridge.acls[$0] == nil }) {
            return "profile \(profile.name): access-control list \(missing) does not exist on this switch"
        }
        return nil
    }

    /// The database's profiles in use here, as switch-made VM profiles (the VLAN is the
    /// group's): those VMs' assignments and the database's VSI types name, and that apply.
    func applyPolicyDBProfiles(_ virt: inout VirtConfiguration) {
        var used: [String: PolicyProfile] = [:]
        for profile in policyDBAssignments.values { used[profile.name] = profile }
        for profile in policyDBVSITypes.values { used[profile.name] = profile }
        for profile in used.values where policyDBProblem(profile) == nil {
            var made = VMProfile(name: Self.policyDBProfileName(profile.name))
            made.shaping = profile.shaping
            made.egressShaping = profile.egressShaping
            made.acls = profile.acls.sorted()
            virt.setImplicitProfile(made)
        }
    }

    /// VMs the database assigned, as switch-made VM groups (`VMGroup.implicitRange`, after
    /// `firstNumber`): one per profile, in its VLAN. A VM a local group claims stays there
    /// (`setImplicitGroup` never takes a member another group holds).
    func applyPolicyDBGroups(_ virt: inout VirtConfiguration, from firstNumber: Int) {
        let byProfile = Dictionary(grouping: policyDBAssignments, by: \.value.name)
        var number = firstNumber
        for name in byProfile.keys.sorted() {
            guard VMGroup.implicitRange.contains(number) else { break }
            let members = byProfile[name]!
            let profile = members[0].value
            guard policyDBProblem(profile) == nil else { continue }
            virt.setImplicitGroup(number, vlan: profile.vlan, tagged: profile.tagged,
                                  profile: Self.policyDBProfileName(name), members: members.map(\.key).sorted())
            number += 1
        }
    }

    /// The VSI type the database gives `key`, when the switch has none of its own.
    func policyDBVSIType(_ key: EVBConfiguration.VSITypeKey) -> (vlan: UInt16, profile: String)? {
        guard let profile = policyDBVSITypes[key], policyDBProblem(profile) == nil else { return nil }
        return (profile.vlan, Self.policyDBProfileName(profile.name))
    }
}
