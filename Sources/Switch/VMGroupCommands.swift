import CommandEngine
import Console
import Dataplane
import RunningConfig
import Virtualization

/// `virt vmgroup N` in both forms: the one-line form names the group in the command,
/// the sub-mode form in the mode; each setting is one handler either way.
extension VMreadySwitch {
    enum VMGroupCommands {}
}

extension VMreadySwitch.VMGroupCommands {
    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on("vmgroup.enter") { ctx throws(CommandFailure) in
            let number = group(ctx)
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.ensureGroup(number) }
        }
        t.on("vmgroup.delete") { ctx throws(CommandFailure) in
            let number = group(ctx)
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.removeGroup(number) }
        }
        t.on("vmgroup.vlan") { ctx throws(CommandFailure) in
            let vlan = UInt16(ctx.arguments.integer("vlan") ?? 1)
            try edit(sw, ctx) { s, g throws(CommandFailure) in
                try s.requireVLAN(vlan)
                g.vlan = vlan
            }
        }
        t.on("vmgroup.vlan.remove") { ctx throws(CommandFailure) in
            try edit(sw, ctx, removing: true) { _, g throws(CommandFailure) in g.vlan = nil }
        }
        t.on("vmgroup.tag") { ctx throws(CommandFailure) in
            try edit(sw, ctx) { _, g throws(CommandFailure) in g.tagged = true }
        }
        t.on("vmgroup.tag.remove") { ctx throws(CommandFailure) in
            try edit(sw, ctx, removing: true) { _, g throws(CommandFailure) in g.tagged = false }
        }
        t.on("vmgroup.vm") { ctx throws(CommandFailure) in
            guard let vm = try VirtSupport.reference(ctx.arguments) else { return }
            let number = group(ctx)
            let known = VMLookup(sw.vms.entries())
            try VirtSupport.configure(sw) { virt throws(VirtError) in
                try virt.addMember(vm, toGroup: number, vms: known)
            }
        }
        t.on("vmgroup.vm.remove") { ctx throws(CommandFailure) in
            guard let vm = try VirtSupport.reference(ctx.arguments) else { return }
            let number = group(ctx)
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.removeMember(vm, fromGroup: number) }
        }
        t.on("vmgroup.port") { ctx throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, ctx.arguments.ports("ports"))
            try edit(sw, ctx) { _, g throws(CommandFailure) in g.ports.formUnion(ports) }
        }
        t.on("vmgroup.port.remove") { ctx throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, ctx.arguments.ports("ports"))
            try edit(sw, ctx, removing: true) { _, g throws(CommandFailure) in g.ports.subtract(ports) }
        }
        t.on("vmgroup.profile") { ctx throws(CommandFailure) in
            let name = ctx.arguments.text("profile") ?? ""
            try edit(sw, ctx) { _, g throws(CommandFailure) in g.profile = name }
        }
        t.on("vmgroup.profile.remove") { ctx throws(CommandFailure) in
            try edit(sw, ctx, removing: true) { _, g throws(CommandFailure) in g.profile = nil }
        }
        t.on("vmgroup.validate") { ctx throws(CommandFailure) in
            try edit(sw, ctx) { _, g throws(CommandFailure) in g.validation = .basic }
        }
        t.on("vmgroup.validate.remove") { ctx throws(CommandFailure) in
            try edit(sw, ctx, removing: true) { _, g throws(CommandFailure) in g.validation = nil }
        }
        return t
    }

    /// The group named in the command (one-line form) or by the mode (sub-mode form).
    static func group(_ ctx: CommandContext) -> Int {
        ctx.arguments.integer("group") ?? ctx.modeArguments.integer("group") ?? 0
    }

    /// Edits the group as one locked step (`SwitchState.editVMGroup`).
    private static func edit(_ sw: VMreadySwitch, _ ctx: CommandContext, removing: Bool = false,
                             _ change: @escaping (SwitchState, inout VMGroup) throws(CommandFailure) -> Void) throws(CommandFailure) {
        let number = group(ctx)
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            try s.editVMGroup(number, removing: removing, change)
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        s.virt.groups.values.sorted { $0.number < $1.number }.map { g in
            var body: [String] = []
            if let vlan = g.vlan { body.append("vlan \(vlan)") }
            if g.tagged { body.append("tag") }
            // Quoted: a name such as `e` would otherwise read as the keyword `edit`'s prefix.
            if let profile = g.profile { body.append("profile " + ConfigText.quoted(profile)) }
            if let validation = g.validation { body.append("validate " + validation.rawValue) }
            if !g.ports.isEmpty { body.append("port " + VirtSupport.portList(g.ports)) }
            for member in g.members {
                // A name is escaped as every configuration string is; addresses are as shown.
                if case .name(let name) = member { body.append("vm " + ConfigText.quoted(name)) } else { body.append("vm \(member)") }
            }
            return ConfigStanza(section: .virt, key: 10_000 + g.number, header: "virt vmgroup \(g.number)", body: body)
        }
    }
}
