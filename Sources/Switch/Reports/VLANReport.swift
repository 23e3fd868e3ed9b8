import CommandEngine
import Console
import Dataplane

/// `show vlan [V]`: each VLAN with its name and the ports forwarding carries it on.
struct VLANReport: ShowReport {
    struct VLAN: Encodable {
        var vlan: Int
        var name: String
        /// Always `active`: a VLAN that exists forwards.
        var status: String
        var ports: [Int]
    }

    var vlans: [VLAN]

    init(_ sw: VMreadySwitch, _ s: SwitchState, vlans numbers: [UInt16]) {
        // What forwarding runs on: VM groups' static ports are in the published configuration,
        // and the ports VMs' policies add follow the VMs, which only the dataplane knows.
        let running = s.published ?? s.bridge
        let vmVLANs = s.virt.enabled ? Set(s.virt.groups.values.compactMap { s.virt.effectiveVLAN(of: $0) }) : []
        vlans = numbers.map { v in
            var ports = (1...running.portCount).filter { running.carries(port: $0, vlan: v) }
            if vmVLANs.contains(v) { ports = Set(ports).union(sw.dataplane.effectiveMembership(vlan: v).members).sorted() }
            return VLAN(vlan: Int(v), name: s.bridge.vlans.name(of: v), status: "active", ports: ports)
        }
    }

    var lines: [String] {
        var out = ["VLAN  Name                              Status  Ports",
                   "----  --------------------------------  ------  -------------------------"]
        for v in vlans {
            let list = v.ports.isEmpty ? "empty" : PortListFormat.string(v.ports)
            out.append(pad(String(v.vlan), 4) + "  " + pad(v.name, 32) + "  " + v.status + "  " + list)
        }
        return out
    }
}
