import Dataplane
import Foundation
import Frames
import SwitchTypes
import Virtualization

/// What the `show virt ...` reports share: which VMs are remote, the `show virt vm` rows.
enum VirtReport {
    /// One `show virt vm` row: a detected VM, or a group member named by MAC not yet seen.
    struct Row {
        var mac: MACAddress
        var vm: VMEntry?
        var group: Int?
        var profile: String?
        /// The VLAN the VM's frames are switched in: its group's, else the one it was last seen in.
        var vlan: UInt16?
        /// Last seen behind a port that is not a server port (see `isRemote`).
        var remote = false
        /// What the VM managers say of it (`-v`): name, UUID, host, verdict.
        var managed: String?
    }

    /// A known VM last seen behind a port that is not a server port (an uplink) is no
    /// longer one of the switch's own: its group's policy does not apply there (the
    /// dataplane applies station policies on server ports only), so it is shown as
    /// remote rather than live, and its port carries nothing for it.
    static func isRemote(_ vm: VMEntry, _ s: SwitchState) -> Bool { !s.virt.serverPorts.contains(vm.port) }

    static func rows(_ s: SwitchState, vms: [VMEntry], resolution: VMPolicyResolution) -> [Row] {
        // The groups the switch makes (VSI types) are in the effective configuration only.
        let virt = s.effectiveVirt()
        var rows = vms.map { vm in
            let group = resolution.groupOf[vm.mac]
            let groupVLAN = group.flatMap { virt.groups[$0] }.flatMap { virt.effectiveVLAN(of: $0) }
            let remote = isRemote(vm, s)
            return Row(mac: vm.mac, vm: vm, group: group, profile: group.flatMap { virt.groups[$0]?.profile },
                       vlan: remote ? vm.vlan : groupVLAN ?? vm.vlan, remote: remote)
        }
        for (group, members) in resolution.pending {
            for case .mac(let mac) in members {
                rows.append(Row(mac: mac, vm: nil, group: group, profile: virt.groups[group]?.profile))
            }
        }
        return rows.sorted { $0.mac < $1.mac }
    }

    /// Without trailing spaces (a scan of the UTF-8 bytes: this runs once per row of thousands).
    static func trimmed(_ line: String) -> String {
        let bytes = line.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: " ") {
            end = bytes.index(before: end)
        }
        return String(line[..<end])
    }
}
