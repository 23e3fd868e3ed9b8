import CommandEngine
import Configuration
import Console
import Dataplane

/// `vlan V` (create and enter), `name`, `no vlan V`, `show vlan`.
extension VMreadySwitch {
    enum VLANCommands {}
}

extension VMreadySwitch.VLANCommands {
    static let maxNameLength = 32

    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on(.vlanEnter) { args, _ throws(CommandFailure) in
            let vid = UInt16(args.vlan)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try refusing { () throws(ConfigurationError) in try s.bridge.vlans.create(vid) }
            }
        }
        t.on(.vlanDelete) { args, _ throws(CommandFailure) in
            let vid = UInt16(args.vlan)
            if vid == 1 { throw CommandFailure("VLAN 1 is the default VLAN and cannot be deleted") }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try s.requireVLAN(vid)
                // VMready's groups and profiles name it: they would silently lose their VLAN.
                if let group = s.virt.groups.values.map(\.number).sorted().first(where: { s.virt.groups[$0]?.vlan == vid }) {
                    throw CommandFailure("VLAN \(vid) is used by VM group \(group)")
                }
                if let profile = s.virt.profiles.keys.sorted().first(where: { s.virt.profiles[$0]?.vlan == vid }) {
                    throw CommandFailure("VLAN \(vid) is used by VM profile \(profile)")
                }
                try refusing { () throws(ConfigurationError) in try s.bridge.vlans.delete(vid) }
                // As ENOS does, ports whose access or native VLAN it was go back to VLAN 1 and its
                // static entries go with it: the configuration never names a VLAN that does not exist
                // (other than in trunk allowed lists, which may), so it always replays.
                for port in 1...s.bridge.portCount {
                    if s.bridge[port: port].accessVLAN == vid { s.bridge[port: port].accessVLAN = 1 }
                    if s.bridge[port: port].nativeVLAN == vid { s.bridge[port: port].nativeVLAN = 1 }
                }
                for entry in s.bridge.staticMACEntries where entry.vlan == vid {
                    s.bridge.removeStaticMACEntry(mac: entry.mac, vlan: vid)
                }
            }
        }
        t.on(.vlanName) { args, _ throws(CommandFailure) in
            let name = args.name
            guard (1...maxNameLength).contains(name.count) else {
                throw CommandFailure("VLAN name must be 1-\(maxNameLength) characters")
            }
            try setName(sw, vlan: args.vlan, name)
        }
        t.on(.vlanNameDefault) { args, _ throws(CommandFailure) in try setName(sw, vlan: args.vlan, nil) }
        t.on(.showVLAN) { args, ctx throws(CommandFailure) in
            let s = sw.state.withLock { $0 }
            var vlans = s.bridge.vlans.existing.members
            if let only = args.vlan {
                guard s.bridge.vlans.contains(UInt16(only)) else { throw CommandFailure("VLAN \(only) does not exist") }
                vlans = [UInt16(only)]
            }
            ctx.print("VLAN  Name                              Status  Ports")
            ctx.print("----  --------------------------------  ------  -------------------------")
            // What forwarding runs on: VM groups' static ports are in the published configuration,
            // and the ports VMs' policies add follow the VMs, which only the dataplane knows.
            let running = s.published ?? s.bridge
            let vmVLANs = Set(running.stationPolicies.values.map(\.vlan))
            for v in vlans {
                var ports = (1...running.portCount).filter { running.carries(port: $0, vlan: v) }
                if vmVLANs.contains(v) { ports = Set(ports).union(sw.dataplane.effectiveMembership(vlan: v).members).sorted() }
                let list = ports.isEmpty ? "empty" : PortListFormat.string(ports)
                ctx.print(pad(String(v), 4) + "  " + pad(s.bridge.vlans.name(of: v), 32) + "  active  " + list)
            }
        }
        return t
    }

    private static func setName(_ sw: VMreadySwitch, vlan: Int, _ name: String?) throws(CommandFailure) {
        let vid = UInt16(vlan)
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            // Another session may have deleted the VLAN while this one was in its mode.
            try s.requireVLAN(vid)
            var table = s.bridge.vlans
            try? table.setName(nil, of: vid)
            // Naming a VLAN its default name is the same as not naming it: keeps the config minimal.
            let effective = name == table.name(of: vid) ? nil : name
            try refusing { () throws(ConfigurationError) in try s.bridge.vlans.setName(effective, of: vid) }
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        s.bridge.vlans.existing.members.compactMap { vid in
            let name = s.bridge.vlans.configuredName(of: vid)
            if vid == 1 && name == nil { return nil }
            let body = name.map { ["name " + ConfigText.quoted($0)] } ?? []
            return ConfigStanza(section: .vlans, key: Int(vid), header: "vlan \(vid)", body: body)
        }
    }
}

extension SwitchConfiguration {
    /// Whether `port` carries `vlan` (as the forwarding plan decides): its access VLAN, or on
    /// a trunk an allowed VLAN; either way only a VLAN that exists.
    func carries(port: Int, vlan: UInt16) -> Bool {
        let p = self[port: port]
        guard vlans.contains(vlan) else { return false }
        switch p.mode {
        case .access: return p.accessVLAN == vlan
        case .trunk: return p.trunkAllowedVLANs.contains(vlan)
        }
    }
}

/// Left-aligns `s` in a column of `width` (never truncates).
func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

/// Right-aligns `s` in a column of `width`.
func padLeft(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
