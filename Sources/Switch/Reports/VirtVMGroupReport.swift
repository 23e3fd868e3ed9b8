import Console
import Frames
import Virtualization

/// `show virt vmgroup [N]`: each group's settings, its static ports and its members: live,
/// remote, or pending (named but not seen, or held by another group).
struct VirtVMGroupReport: ShowReport {
    struct Group: Encodable {
        var number: Int
        /// The group's VLAN, its own or its profile's; absent when it has none.
        var vlan: Int?
        var vlanFromProfile: Bool
        var tagged: Bool
        var profile: String?
        /// `basic` or `advanced` VM validation.
        var validation: String?
        var staticPorts: [Int]
        /// Members as configured (`vm MAC` or `vm NAME`).
        var configuredMembers: Int
        var members: [Member]
    }

    struct Member: Encodable {
        /// The member as configured: a MAC, or a VM name from the VM managers.
        var member: String
        /// `live`, `remote` or `pending`.
        var state: String
        var port: String?
        var index: Int?
        var ip: IPv4Address?
        /// For a pending member whose VM is in another group: that VM and the group.
        var conflictingVM: MACAddress?
        var heldByGroup: Int?
        fileprivate var physicalPort = 0

        enum CodingKeys: String, CodingKey { case member, state, port, index, ip, conflictingVM, heldByGroup }
    }

    var vmGroups: [Group]
    private var only: Int?

    enum CodingKeys: String, CodingKey { case vmGroups }

    init(_ s: SwitchState, only: Int?, vms: [VMEntry], resolution: VMPolicyResolution) {
        self.only = only
        let byMAC = Dictionary(vms.map { ($0.mac, $0) }, uniquingKeysWith: { a, _ in a })
        // One pass over the VMs and conflicts, not one per group: thousands of groups and
        // 100,000 VMs stay a linear listing.
        var liveByGroup: [Int: [MACAddress]] = [:]
        for (mac, group) in resolution.groupOf { liveByGroup[group, default: []].append(mac) }
        let conflictsByGroup = Dictionary(grouping: resolution.conflicts, by: \.group)
        vmGroups = s.virt.groups.values.sorted(by: { $0.number < $1.number }).filter { only == nil || only == $0.number }.map { g in
            var members: [Member] = []
            for mac in (liveByGroup[g.number] ?? []).sorted() {
                guard let vm = byMAC[mac] else { continue }
                var member = Member(member: mac.description, state: VirtReport.isRemote(vm, s) ? "remote" : "live",
                                    port: vm.bridgePort.description, index: vm.index, ip: vm.ip == .zero ? nil : vm.ip)
                member.physicalPort = vm.port
                members.append(member)
            }
            let conflicts = Dictionary((conflictsByGroup[g.number] ?? []).map { ($0.member, $0) }, uniquingKeysWith: { a, _ in a })
            for reference in resolution.pending[g.number] ?? [] {
                let conflict = conflicts[reference]
                members.append(Member(member: reference.description, state: "pending",
                                      conflictingVM: conflict?.vm, heldByGroup: conflict?.heldBy))
            }
            return Group(number: g.number, vlan: s.virt.effectiveVLAN(of: g).map(Int.init), vlanFromProfile: g.vlan == nil,
                         tagged: g.tagged, profile: g.profile, validation: g.validation?.rawValue,
                         staticPorts: g.ports.sorted(), configuredMembers: g.members.count, members: members)
        }
    }

    var lines: [String] {
        var out: [String] = []
        for g in vmGroups {
            let vlan = g.vlan.map { "VLAN \($0)" + (g.vlanFromProfile ? " (from profile)" : "") } ?? "no VLAN"
            var settings = [vlan, g.tagged ? "tagged" : "untagged"]
            if let profile = g.profile { settings.append("profile " + profile) }
            if let validation = g.validation { settings.append("validate " + validation) }
            out.append("VM group \(g.number): " + settings.joined(separator: ", "))
            if !g.staticPorts.isEmpty { out.append("    static ports: " + VirtSupport.portList(Set(g.staticPorts))) }
            for m in g.members {
                switch (m.state, m.conflictingVM, m.heldByGroup) {
                case ("pending", let vm?, let group?): out.append("    vm \(m.member)  pending: VM \(vm) is in VM group \(group)")
                case ("pending", _, _): out.append("    vm \(m.member)  pending")
                default:
                    let state = m.state == "remote" ? "remote behind port \(m.physicalPort) (not a server port)"
                                                    : "live on port \(m.port ?? "")"
                    out.append("    vm \(m.member)  \(state), index \(m.index ?? 0), IP \(m.ip ?? .zero)")
                }
            }
            if g.configuredMembers == 0 && g.staticPorts.isEmpty { out.append("    no members") }
        }
        if out.isEmpty { out.append(only.map { "VM group \($0) does not exist" } ?? "No VM groups are configured") }
        return out
    }
}
