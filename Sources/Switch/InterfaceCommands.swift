import CommandEngine
import Console
import Dataplane
import RunningConfig

/// `interface port LIST` and the per-port settings: state, description, 802.1Q membership.
extension VMreadySwitch {
    enum InterfaceCommands {}
}

extension VMreadySwitch.InterfaceCommands {
    static let maxDescriptionLength = 64

    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on("interface.enter") { ctx throws(CommandFailure) in
            _ = try validPorts(sw, ctx.arguments.ports("ports"))
        }
        t.on("interface.description") { ctx throws(CommandFailure) in
            let text = ctx.arguments.text("text") ?? ""
            guard (1...maxDescriptionLength).contains(text.count) else {
                throw CommandFailure("Description must be 1-\(maxDescriptionLength) characters")
            }
            try update(sw, ctx) { s, p throws(CommandFailure) in s.descriptions[p - 1] = text }
        }
        t.on("interface.description.clear") { ctx throws(CommandFailure) in
            try update(sw, ctx) { s, p throws(CommandFailure) in s.descriptions[p - 1] = nil }
        }
        t.on("interface.shutdown") { ctx throws(CommandFailure) in
            try update(sw, ctx) { s, p throws(CommandFailure) in s.setPort(p, enabled: false) }
        }
        t.on("interface.no-shutdown") { ctx throws(CommandFailure) in
            try update(sw, ctx) { s, p throws(CommandFailure) in s.setPort(p, enabled: true) }
        }
        t.on("interface.switchport.mode") { ctx throws(CommandFailure) in
            let mode: PortMode = ctx.arguments.text("mode") == "trunk" ? .trunk : .access
            try update(sw, ctx) { s, p throws(CommandFailure) in s.bridge[port: p].mode = mode }
        }
        t.on("interface.switchport.mode.default") { ctx throws(CommandFailure) in
            try update(sw, ctx) { s, p throws(CommandFailure) in s.bridge[port: p].mode = .access }
        }
        t.on("interface.switchport.access") { ctx throws(CommandFailure) in
            let vid = UInt16(ctx.arguments.integer("vlan") ?? 1)
            try update(sw, ctx) { s, p throws(CommandFailure) in
                try s.requireVLAN(vid)
                s.bridge[port: p].accessVLAN = vid
            }
        }
        t.on("interface.switchport.access.default") { ctx throws(CommandFailure) in
            try update(sw, ctx) { s, p throws(CommandFailure) in s.bridge[port: p].accessVLAN = 1 }
        }
        t.on("interface.switchport.allowed") { ctx throws(CommandFailure) in
            let set = VLANSet((ctx.arguments.vlans("vlans") ?? []).map { UInt16($0) })
            try update(sw, ctx) { s, p throws(CommandFailure) in s.bridge[port: p].trunkAllowedVLANs = set }
        }
        t.on("interface.switchport.allowed.default") { ctx throws(CommandFailure) in
            try update(sw, ctx) { s, p throws(CommandFailure) in s.bridge[port: p].trunkAllowedVLANs = .all }
        }
        t.on("interface.switchport.native") { ctx throws(CommandFailure) in
            let vid = UInt16(ctx.arguments.integer("vlan") ?? 1)
            try update(sw, ctx) { s, p throws(CommandFailure) in
                try s.requireVLAN(vid)
                s.bridge[port: p].nativeVLAN = vid
            }
        }
        t.on("interface.switchport.native.default") { ctx throws(CommandFailure) in
            try update(sw, ctx) { s, p throws(CommandFailure) in s.bridge[port: p].nativeVLAN = 1 }
        }
        t.on("show.interface") { ctx throws(CommandFailure) in
            let ports = try validPorts(sw, ctx.arguments.ports("ports"))
            ctx.print(lines: InterfaceReport.status(sw, ports: ports))
        }
        t.on("show.interface.counters") { ctx throws(CommandFailure) in
            let ports = try validPorts(sw, ctx.arguments.ports("ports"))
            ctx.print(lines: InterfaceReport.counters(sw, ports: ports))
        }
        t.on("clear.counters") { ctx throws(CommandFailure) in
            let ports = try validPorts(sw, ctx.arguments.ports("ports"))
            if ctx.arguments.ports("ports") == nil {
                sw.dataplane.clearCounters()
            } else {
                for p in ports { sw.dataplane.clearCounters(port: p) }
            }
        }
        return t
    }

    /// The ports named (all when nil), each checked to exist.
    static func validPorts(_ sw: VMreadySwitch, _ ports: [Int]?) throws(CommandFailure) -> [Int] {
        guard let ports else { return Array(1...sw.portCount) }
        if let bad = ports.first(where: { $0 > sw.portCount }) {
            throw CommandFailure("Port \(bad) does not exist (ports are 1-\(sw.portCount))")
        }
        return ports
    }


    /// Applies a change to every port of the `interface port LIST` the session is in, as one step.
    private static func update(_ sw: VMreadySwitch, _ ctx: CommandContext,
                               _ change: (inout SwitchState, Int) throws(CommandFailure) -> Void) throws(CommandFailure) {
        let ports = ctx.modeArguments.ports("ports") ?? []
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            for p in ports where s.bridge.isValidPort(p) { try change(&s, p) }
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        (1...s.bridge.portCount).compactMap { port in
            let p = s.bridge[port: port]
            var body: [String] = []
            if let d = s.descriptions[port - 1] { body.append("description " + ConfigText.quoted(d)) }
            if !p.isEnabled { body.append("shutdown") }
            if p.mode == .trunk { body.append("switchport mode trunk") }
            if p.accessVLAN != 1 { body.append("switchport access vlan \(p.accessVLAN)") }
            if p.trunkAllowedVLANs != .all { body.append("switchport trunk allowed vlan \(p.trunkAllowedVLANs)") }
            if p.nativeVLAN != 1 { body.append("switchport trunk native vlan \(p.nativeVLAN)") }
            // Bound by AccessControlCommands; rendered in the port's block where the binding is typed.
            body += p.acls.map { "access-control list \($0)" }
            guard !body.isEmpty else { return nil }
            return ConfigStanza(section: .interfaces, key: port, header: "interface port \(port)", body: body)
        }
    }
}
