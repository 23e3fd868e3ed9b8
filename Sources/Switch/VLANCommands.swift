import CommandEngine
import Configuration
import Console

/// `vlan V` (create and enter), `name`, `no vlan V`.
extension VMreadySwitch {
    enum VLANCommands {}
}

extension VMreadySwitch.VLANCommands {
    static let maxNameLength = 32

    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on("vlan.enter") { ctx in
            let vid = ctx.arguments.integer("vlan") ?? 1
            sw.state.withLock { s in
                if s.vlans[vid] == nil { s.vlans[vid] = .some(nil) }
            }
        }
        t.on("vlan.delete") { ctx throws(CommandFailure) in
            let vid = ctx.arguments.integer("vlan") ?? 1
            if vid == 1 { throw CommandFailure("VLAN 1 is the default VLAN and cannot be deleted") }
            let existed = sw.state.withLock { $0.vlans.removeValue(forKey: vid) != nil }
            if !existed { throw CommandFailure("VLAN \(vid) does not exist") }
        }
        t.on("vlan.name") { ctx throws(CommandFailure) in
            let name = ctx.arguments.text("name") ?? ""
            guard (1...maxNameLength).contains(name.count) else {
                throw CommandFailure("VLAN name must be 1-\(maxNameLength) characters")
            }
            try setName(sw, ctx, name)
        }
        t.on("vlan.name.default") { ctx throws(CommandFailure) in try setName(sw, ctx, nil) }
        return t
    }

    private static func setName(_ sw: VMreadySwitch, _ ctx: CommandContext, _ name: String?) throws(CommandFailure) {
        let vid = ctx.modeArguments.integer("vlan") ?? 1
        let ok = sw.state.withLock { s -> Bool in
            guard s.vlans[vid] != nil else { return false }
            s.vlans[vid] = .some(name == SwitchState.defaultVLANName(vid) ? nil : name)
            return true
        }
        // Another session may have deleted the VLAN while this one was in its mode.
        if !ok { throw CommandFailure("VLAN \(vid) does not exist") }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        s.vlans.compactMap { vid, name in
            if vid == 1 && name == nil { return nil }
            let body = name.map { ["name " + ConfigText.quoted($0)] } ?? []
            return ConfigStanza(section: .vlans, key: vid, header: "vlan \(vid)", body: body)
        }
    }
}
