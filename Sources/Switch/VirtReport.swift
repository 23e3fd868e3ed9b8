import Dataplane
import Foundation
import Frames
import SwitchTypes
import Virtualization

/// The text of the `show virt ...` commands.
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

    /// `show virt vm [-v]` in switching.md's layout (the marker sits in front of the IP,
    /// inside the 15-character column; the dashes are one column off the data, as on ENOS).
    static func vmTable(_ rows: [Row], verbose: Bool, virtEnabled: Bool) -> [String] {
        var out = ["IP Address      VMAC Address       Index Port     VM Group (Profile)",
                   "--------------- ----------------- ----- -------- ------------------"]
        for row in rows {
            let ip = (row.vm.map { $0.kind.marker + $0.ip.description }) ?? "0.0.0.0"
            let group = row.group.map { g in row.profile.map { "\(g) (\($0))" } ?? "\(g)" } ?? ""
            let line = pad(ip, 15) + " " + pad(row.mac.description, 17) + "  " + pad(row.vm.map { String($0.index) } ?? "", 5)
                + " " + pad(row.vm.map { $0.bridgePort.description } ?? "", 8) + " " + group
            out.append(trimmed(line))
            if verbose {
                out.append("                " + detail(row))
                if let managed = row.managed { out.append("                " + managed) }
            }
        }
        out.append("Number of entries: \(rows.count)")
        out.append("* indicates VMware ESX Service Console Interface")
        out.append("0.0.0.0 indicates IP address not yet available")
        out.append("+ indicates VMware ESX/ESXi VMKernel or Management Interface")
        if !virtEnabled { out.insert("VMready is disabled (virt enable)", at: 0) }
        return out
    }

    /// The `-v` line: vendor, VLAN, state, first seen, last move.
    static func detail(_ row: Row) -> String {
        guard let vm = row.vm else {
            return "pending: member of VM group \(row.group ?? 0), not yet seen"
        }
        let state = row.remote ? "remote (port \(vm.port) is not a server port)" : "live"
        var text = "\(vm.vendor), VLAN \(row.vlan ?? vm.vlan), \(state), first seen \(stamp(vm.firstSeen))"
        if let move = vm.lastMove {
            text += ", last move from port \(move.from) \(stamp(move.time)) (\(move.how.label))"
        } else {
            text += ", never moved"
        }
        return text
    }

    static func stamp(_ time: Timestamp) -> String {
        EventLog.stamp(Date(timeIntervalSince1970: Double(time.seconds)))
    }

    static func migrations(_ moves: [VMMove], total: Int) -> [String] {
        var out = ["Time             VMAC Address       VLAN  From  To    How",
                   "---------------  -----------------  ----  ----  ----  -----------"]
        for move in moves.reversed() {
            out.append(trimmed(pad(stamp(move.time), 15) + "  " + move.mac.description + "  " + pad(String(move.vlan), 4) + "  "
                               + pad(move.from.description, 4) + "  " + pad(move.to.description, 4) + "  " + move.how.label))
        }
        out.append("Migrations since VMready was enabled: \(total) (newest first, last \(moves.count) kept)")
        return out
    }

    static func groups(_ s: SwitchState, only: Int?, vms: [VMEntry], resolution: VMPolicyResolution) -> [String] {
        var out: [String] = []
        let byMAC = Dictionary(vms.map { ($0.mac, $0) }, uniquingKeysWith: { a, _ in a })
        // One pass over the VMs and conflicts, not one per group: thousands of groups and
        // 100,000 VMs stay a linear listing.
        var liveByGroup: [Int: [MACAddress]] = [:]
        for (mac, group) in resolution.groupOf { liveByGroup[group, default: []].append(mac) }
        let conflictsByGroup = Dictionary(grouping: resolution.conflicts, by: \.group)
        for g in s.virt.groups.values.sorted(by: { $0.number < $1.number }) where only == nil || only == g.number {
            let vlan = s.virt.effectiveVLAN(of: g).map { "VLAN \($0)" + (g.vlan == nil ? " (from profile)" : "") } ?? "no VLAN"
            var settings = [vlan, g.tagged ? "tagged" : "untagged"]
            if let profile = g.profile { settings.append("profile " + profile) }
            if let validation = g.validation { settings.append("validate " + validation.rawValue) }
            out.append("VM group \(g.number): " + settings.joined(separator: ", "))
            if !g.ports.isEmpty { out.append("    static ports: " + VirtSupport.portList(g.ports)) }
            for mac in (liveByGroup[g.number] ?? []).sorted() {
                guard let vm = byMAC[mac] else { continue }
                let state = isRemote(vm, s) ? "remote behind port \(vm.port) (not a server port)" : "live on port \(vm.bridgePort)"
                out.append("    vm \(mac)  \(state), index \(vm.index), IP \(vm.ip)")
            }
            let conflicts = Dictionary((conflictsByGroup[g.number] ?? []).map { ($0.member, $0) }, uniquingKeysWith: { a, _ in a })
            for member in resolution.pending[g.number] ?? [] {
                if let conflict = conflicts[member] {
                    out.append("    vm \(member)  pending: VM \(conflict.vm) is in VM group \(conflict.heldBy)")
                } else {
                    out.append("    vm \(member)  pending")
                }
            }
            if g.members.isEmpty && g.ports.isEmpty { out.append("    no members") }
        }
        if out.isEmpty { out.append(only.map { "VM group \($0) does not exist" } ?? "No VM groups are configured") }
        return out
    }

    static func profiles(_ s: SwitchState, only: String?) -> [String] {
        var out: [String] = []
        for p in s.virt.profiles.values.sorted(by: { $0.name < $1.name }) where only == nil || only == p.name {
            out.append("VM profile \(p.name)")
            out.append("    VLAN: " + (p.vlan.map(String.init) ?? "none"))
            out.append("    shaping (VM to switch): " + shaping(p.shaping))
            out.append("    eshaping (switch to VM): " + shaping(p.egressShaping))
            out.append("    access-control: " + (p.acls.isEmpty ? "none" : p.acls.map(String.init).joined(separator: ", ")))
            let users = s.virt.groups.values.filter { $0.profile == p.name }.map(\.number).sorted()
            out.append("    used by VM group: " + (users.isEmpty ? "none" : users.map(String.init).joined(separator: ", ")))
        }
        if out.isEmpty { out.append(only.map { "VM profile \($0) does not exist" } ?? "No VM profiles are configured") }
        return out
    }

    static func shaping(_ shaping: Shaping?) -> String {
        guard let shaping else { return "none" }
        return "average \(shaping.averageKbps) kbit/s, burst \(shaping.burstKBytes) kbytes, peak \(shaping.peakKbps) kbit/s"
    }

    static func ports(_ s: SwitchState, ports: [Int], vms: [VMEntry], resolution: VMPolicyResolution,
                      published: BridgeConfiguration?) -> [String] {
        var out = ["Port  Server  Trusted  State         VMs  VM groups  VLANs carried for VMs",
                   "----  ------  -------  ------------  ---  ---------  ---------------------"]
        for port in ports {
            let here = vms.filter { $0.port == port && !isRemote($0, s) }
            let groups = Set(here.compactMap { resolution.groupOf[$0.mac] })
                .union(s.virt.groups.values.filter { $0.ports.contains(port) }.map(\.number)).sorted()
            let vlans = Set(groups.compactMap { g in s.virt.groups[g].flatMap { s.virt.effectiveVLAN(of: $0) } }).sorted()
            let state = s.errDisabled[port] != nil ? "err-disabled" : (s.bridge[port: port].isEnabled ? "up" : "down")
            let line = pad(String(port), 4) + "  " + pad(s.virt.serverPorts.contains(port) ? "yes" : "no", 6) + "  "
                + pad(s.virt.vmcheck.trustedPorts.contains(port) ? "yes" : "no", 7) + "  " + pad(state, 12) + "  "
                + padLeft(String(here.count), 3) + "  " + pad(groups.map(String.init).joined(separator: ","), 9) + "  "
                + vlans.map(String.init).joined(separator: ",")
            out.append(trimmed(line))
        }
        return out
    }

    static func oui(_ table: OUITable) -> [String] {
        var out = ["OUI       Vendor", "--------  --------------------------------"]
        for entry in table.entries { out.append(OUITable.format(oui: entry.oui) + "  " + entry.vendor) }
        out.append("Number of entries: \(table.count)")
        return out
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
