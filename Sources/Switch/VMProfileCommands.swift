import CommandEngine
import Console
import Dataplane
import RunningConfig
import Virtualization

/// `virt vmprofile NAME` (sub-mode) and `virt vmprofile edit NAME ...` (one line).
extension VMreadySwitch {
    enum VMProfileCommands {}
}

extension VMreadySwitch.VMProfileCommands {
    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on("vmprofile.enter") { ctx throws(CommandFailure) in
            let name = profile(ctx)
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.ensureProfile(name) }
        }
        t.on("vmprofile.delete") { ctx throws(CommandFailure) in
            let name = profile(ctx)
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.removeProfile(name) }
        }
        t.on("vmprofile.vlan") { ctx throws(CommandFailure) in
            let vlan = UInt16(ctx.arguments.integer("vlan") ?? 1)
            try edit(sw, ctx) { s, p throws(CommandFailure) in
                try s.requireVLAN(vlan)
                p.vlan = vlan
            }
        }
        t.on("vmprofile.vlan.remove") { ctx throws(CommandFailure) in
            try edit(sw, ctx) { _, p throws(CommandFailure) in p.vlan = nil }
        }
        t.on("vmprofile.shaping") { ctx throws(CommandFailure) in
            let shaping = try shaping(ctx)
            try edit(sw, ctx) { _, p throws(CommandFailure) in p.shaping = shaping }
        }
        t.on("vmprofile.shaping.remove") { ctx throws(CommandFailure) in
            try edit(sw, ctx) { _, p throws(CommandFailure) in p.shaping = nil }
        }
        t.on("vmprofile.eshaping") { ctx throws(CommandFailure) in
            let shaping = try shaping(ctx)
            try edit(sw, ctx) { _, p throws(CommandFailure) in p.egressShaping = shaping }
        }
        t.on("vmprofile.eshaping.remove") { ctx throws(CommandFailure) in
            try edit(sw, ctx) { _, p throws(CommandFailure) in p.egressShaping = nil }
        }
        t.on("vmprofile.acl") { ctx throws(CommandFailure) in
            let acl = ctx.arguments.integer("acl") ?? 0
            try edit(sw, ctx) { s, p throws(CommandFailure) in
                try VirtSupport.requireACL(s, acl)
                p.applyACL(acl)
            }
        }
        t.on("vmprofile.acl.remove") { ctx throws(CommandFailure) in
            let acl = ctx.arguments.integer("acl") ?? 0
            try edit(sw, ctx) { _, p throws(CommandFailure) in
                guard p.removeACL(acl) else { throw CommandFailure("ACL \(acl) is not applied by VM profile \(p.name)") }
            }
        }
        return t
    }

    /// The profile named in the command (one-line form) or by the mode (sub-mode form).
    static func profile(_ ctx: CommandContext) -> String {
        ctx.arguments.text("profile") ?? ctx.modeArguments.text("profile") ?? ""
    }

    private static func shaping(_ ctx: CommandContext) throws(CommandFailure) -> Shaping {
        let average = ctx.arguments.integer("average") ?? 0, peak = ctx.arguments.integer("peak") ?? 0
        guard peak >= average else {
            throw CommandFailure("Peak rate \(peak) must be at least the average rate \(average)")
        }
        return Shaping(averageKbps: average, burstKBytes: ctx.arguments.integer("burst") ?? 0, peakKbps: peak)
    }

    private static func edit(_ sw: VMreadySwitch, _ ctx: CommandContext,
                             _ change: @escaping (SwitchState, inout VMProfile) throws(CommandFailure) -> Void) throws(CommandFailure) {
        let name = profile(ctx)
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.editVMProfile(name, change) }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        // Names are quoted: `virt vmprofile e` would read as the keyword `edit`'s prefix.
        s.virt.profiles.values.sorted { $0.name < $1.name }.enumerated().map { index, p in
            var body: [String] = []
            if let vlan = p.vlan { body.append("vlan \(vlan)") }
            if let sh = p.shaping { body.append("shaping \(sh.averageKbps) \(sh.burstKBytes) \(sh.peakKbps)") }
            if let sh = p.egressShaping { body.append("eshaping \(sh.averageKbps) \(sh.burstKBytes) \(sh.peakKbps)") }
            for acl in p.acls { body.append("access-control \(acl)") }
            return ConfigStanza(section: .virt, key: 100 + index, header: "virt vmprofile " + ConfigText.quoted(p.name), body: body)
        }
    }
}
