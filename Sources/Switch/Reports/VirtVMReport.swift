import Console
import Foundation
import Frames
import Virtualization

/// `show virt vm [-v]`: the detected VMs, and group members named by MAC not yet seen.
struct VirtVMReport: ShowReport {
    struct VM: Encodable {
        var mac: MACAddress
        /// `live`, `remote` (last seen behind a port that is not a server port) or
        /// `pending` (a group member not yet seen).
        var state: String
        /// Absent until learned (the text shows 0.0.0.0).
        var ip: IPv4Address?
        /// `vm`, `serviceConsole`, `vmkernel` or `vsi`; absent while pending.
        var kind: String?
        var index: Int?
        var port: String?
        var vlan: Int?
        var vmGroup: Int?
        var profile: String?
        var vendor: String?
        var firstSeen: Date?
        var lastMove: Move?
        /// What the VM managers say of it (with `-v` only).
        var vmManager: String?
        /// The text's marker in front of the IP (`*`, `+`, `~`).
        fileprivate var marker = ""
        /// The physical port a remote VM was last seen behind.
        fileprivate var physicalPort = 0

        enum CodingKeys: String, CodingKey {
            case mac, state, ip, kind, index, port, vlan, vmGroup, profile, vendor, firstSeen, lastMove, vmManager
        }
    }

    struct Move: Encodable {
        var fromPort: String
        var time: Date
        /// How it was announced: `RARP`, `GARP`, `source move`, `VM manager`, `VDP`.
        var how: String
    }

    var vmreadyEnabled: Bool
    var vms: [VM]
    private var verbose: Bool

    enum CodingKeys: String, CodingKey { case vmreadyEnabled, vms }

    init(_ rows: [VirtReport.Row], verbose: Bool, virtEnabled: Bool) {
        vmreadyEnabled = virtEnabled
        self.verbose = verbose
        vms = rows.map { row in
            var vm = VM(mac: row.mac, state: row.vm == nil ? "pending" : (row.remote ? "remote" : "live"),
                        vmGroup: row.group, profile: row.profile, vmManager: verbose ? row.managed : nil)
            if let entry = row.vm {
                vm.ip = entry.ip == .zero ? nil : entry.ip
                vm.kind = entry.kind.jsonName
                vm.marker = entry.kind.marker
                vm.index = entry.index
                vm.port = entry.bridgePort.description
                vm.physicalPort = entry.port
                vm.vlan = Int(row.vlan ?? entry.vlan)
                vm.vendor = entry.vendor
                vm.firstSeen = entry.firstSeen.date
                vm.lastMove = entry.lastMove.map { Move(fromPort: $0.from.description, time: $0.time.date, how: $0.how.label) }
            }
            return vm
        }
    }

    /// switching.md's layout (the marker sits in front of the IP, inside the 15-character
    /// column; the dashes are one column off the data, as on ENOS).
    var lines: [String] {
        var out = ["IP Address      VMAC Address       Index Port     VM Group (Profile)",
                   "--------------- ----------------- ----- -------- ------------------"]
        for vm in vms {
            let ip = vm.state == "pending" ? "0.0.0.0" : vm.marker + (vm.ip ?? .zero).description
            let group = vm.vmGroup.map { g in vm.profile.map { "\(g) (\($0))" } ?? "\(g)" } ?? ""
            let line = pad(ip, 15) + " " + pad(vm.mac.description, 17) + "  " + pad(vm.index.map(String.init) ?? "", 5)
                + " " + pad(vm.port ?? "", 8) + " " + group
            out.append(VirtReport.trimmed(line))
            if verbose {
                out.append("                " + detail(vm))
                if let managed = vm.vmManager { out.append("                " + managed) }
            }
        }
        out.append("Number of entries: \(vms.count)")
        out.append("* indicates VMware ESX Service Console Interface")
        out.append("0.0.0.0 indicates IP address not yet available")
        out.append("+ indicates VMware ESX/ESXi VMKernel or Management Interface")
        if !vmreadyEnabled { out.insert("VMready is disabled (virt enable)", at: 0) }
        return out
    }

    /// The `-v` line: vendor, VLAN, state, first seen, last move.
    private func detail(_ vm: VM) -> String {
        guard vm.state != "pending", let firstSeen = vm.firstSeen else {
            return "pending: member of VM group \(vm.vmGroup ?? 0), not yet seen"
        }
        let state = vm.state == "remote" ? "remote (port \(vm.physicalPort) is not a server port)" : "live"
        var text = "\(vm.vendor ?? ""), VLAN \(vm.vlan ?? 0), \(state), first seen \(EventLog.stamp(firstSeen))"
        if let move = vm.lastMove {
            text += ", last move from port \(move.fromPort) \(EventLog.stamp(move.time)) (\(move.how))"
        } else {
            text += ", never moved"
        }
        return text
    }
}

extension VMKind {
    /// The kind's name in JSON output.
    var jsonName: String {
        switch self {
        case .vm: "vm"
        case .serviceConsole: "serviceConsole"
        case .vmkernel: "vmkernel"
        case .vsi: "vsi"
        }
    }
}
