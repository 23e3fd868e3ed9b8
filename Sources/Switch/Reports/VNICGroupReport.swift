import Console
import Dataplane
import SwitchTypes

/// `show vnic vnicgroup [N]`: whether vNICs take part, then per group its VLAN, state,
/// uplink and members.
struct VNICGroupReport: ShowReport {
    struct Group: Encodable {
        var group: Int
        /// Absent until `vlan V` is set.
        var vlan: Int?
        var enabled: Bool
        /// The port the group's VLAN leaves by; absent when none.
        var uplink: String?
        /// The member vNICs, `3.2`.
        var members: [String]
    }

    var vnicsEnabled: Bool
    var vnicGroups: [Group]

    init(_ s: SwitchState, only: Int?) {
        vnicsEnabled = s.bridge.vnicEnabled
        vnicGroups = s.bridge.vnicGroups.sorted { $0.key < $1.key }.filter { only == nil || $0.key == only }.map { number, g in
            Group(group: number, vlan: g.vlan.map(Int.init), enabled: g.isEnabled, uplink: g.uplink.map(String.init),
                  members: g.members.sorted().map(\.description))
        }
    }

    var lines: [String] {
        var out = [VNICReport.globalLine(vnicsEnabled)]
        guard !vnicGroups.isEmpty else { return out + ["No vNIC group is configured"] }
        out.append("Group  VLAN  State     Uplink  Members")
        out.append("-----  ----  --------  ------  -------")
        for g in vnicGroups {
            let members = g.members.isEmpty ? "-" : g.members.joined(separator: ",")
            out.append(pad(String(g.group), 5) + padLeft(g.vlan.map(String.init) ?? "-", 6) + "  "
                       + pad(g.enabled ? "enabled" : "disabled", 8) + "  " + pad(g.uplink ?? "-", 6) + "  " + members)
        }
        return out
    }
}
