import Console
import Virtualization

/// `show virt port [PORTS]`: per port, whether it is a server port and trusted, its state,
/// the VMs behind it and the groups and VLANs it carries for them.
struct VirtPortReport: ShowReport {
    struct Port: Encodable {
        var port: Int
        var serverPort: Bool
        var trusted: Bool
        /// `up`, `down` or `err-disabled`.
        var state: String
        var vms: Int
        var vmGroups: [Int]
        var vlans: [Int]
    }

    var ports: [Port]

    init(_ s: SwitchState, ports numbers: [Int], vms: [VMEntry], resolution: VMPolicyResolution) {
        ports = numbers.map { port in
            let here = vms.filter { $0.port == port && !VirtReport.isRemote($0, s) }
            let groups = Set(here.compactMap { resolution.groupOf[$0.mac] })
                .union(s.virt.groups.values.filter { $0.ports.contains(port) }.map(\.number)).sorted()
            let vlans = Set(groups.compactMap { g in s.virt.groups[g].flatMap { s.virt.effectiveVLAN(of: $0) } }).sorted()
            return Port(port: port, serverPort: s.virt.serverPorts.contains(port),
                        trusted: s.virt.vmcheck.trustedPorts.contains(port),
                        state: s.errDisabled[port] != nil ? "err-disabled" : (s.bridge[port: port].isEnabled ? "up" : "down"),
                        vms: here.count, vmGroups: groups, vlans: vlans.map(Int.init))
        }
    }

    var lines: [String] {
        var out = ["Port  Server  Trusted  State         VMs  VM groups  VLANs carried for VMs",
                   "----  ------  -------  ------------  ---  ---------  ---------------------"]
        for p in ports {
            let line = pad(String(p.port), 4) + "  " + pad(p.serverPort ? "yes" : "no", 6) + "  "
                + pad(p.trusted ? "yes" : "no", 7) + "  " + pad(p.state, 12) + "  "
                + padLeft(String(p.vms), 3) + "  " + pad(p.vmGroups.map(String.init).joined(separator: ","), 9) + "  "
                + p.vlans.map(String.init).joined(separator: ",")
            out.append(VirtReport.trimmed(line))
        }
        return out
    }
}
