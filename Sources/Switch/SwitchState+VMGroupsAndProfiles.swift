import Console
import Virtualization

extension SwitchState {
    /// Edits VM group `number`, then checks the rules a group must keep: one source for
    /// its VLAN, and no port untagged in two VLANs through two groups. A setting is added
    /// to a group created when missing; `removing` one (the one-line `no virt vmgroup N
    /// ...`) needs the group to exist. Refused, it changes nothing the caller keeps
    /// (`VMreadySwitch.configure` discards the copy).
    mutating func editVMGroup(_ number: Int, removing: Bool,
                              _ change: (SwitchState, inout VMGroup) throws(CommandFailure) -> Void) throws(CommandFailure) {
        if removing, virt.groups[number] == nil { throw CommandFailure("VM group \(number) does not exist") }
        var g = virt.groups[number] ?? VMGroup(number: number)
        try change(self, &g)
        try VirtSupport.virt { () throws(VirtError) in try virt.editGroup(number) { $0 = g } }
        try checkStaticGroupPorts()
    }

    /// A port that is a static member of two groups cannot be untagged in both VLANs.
    func checkStaticGroupPorts() throws(CommandFailure) {
        var untagged: [Int: (group: Int, vlan: UInt16)] = [:]
        for g in virt.groups.values.sorted(by: { $0.number < $1.number }) where !g.tagged {
            guard let vlan = virt.effectiveVLAN(of: g) else { continue }
            for port in g.ports.sorted() {
                if let other = untagged[port], other.vlan != vlan {
                    throw CommandFailure("Port \(port) is already an untagged member of VM group \(other.group) (VLAN \(other.vlan))")
                }
                untagged[port] = (g.number, vlan)
            }
        }
    }

    /// Edits VM profile `name`, created when missing.
    mutating func editVMProfile(_ name: String,
                                _ change: (SwitchState, inout VMProfile) throws(CommandFailure) -> Void) throws(CommandFailure) {
        var p = virt.profiles[name] ?? VMProfile(name: name)
        try change(self, &p)
        try VirtSupport.virt { () throws(VirtError) in try virt.editProfile(name) { $0 = p } }
    }
}
