import CommandEngine
import Console
import Dataplane
import RunningConfig
import Virtualization

/// `virt vmgroup N` in both forms: the one-line form names the group in the command,
/// the sub-mode form in the mode; each setting is one handler either way.
enum VMGroupCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.vmgroupEnter) { args, _ throws(CommandFailure) in
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.ensureGroup(args.group) }
        }
        t.on(.vmgroupDelete) { args, _ throws(CommandFailure) in
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.removeGroup(args.group) }
        }
        t.on(.vmgroupVLAN) { args, _ throws(CommandFailure) in
            try edit(sw, args.group) { s, g throws(CommandFailure) in g.vlan = try s.existingVLAN(args.vlan) }
        }
        t.on(.vmgroupVLANRemove) { args, _ throws(CommandFailure) in try restore(sw, args.group, \.vlan, nil) }
        t.on(.vmgroupTag) { args, _ throws(CommandFailure) in try set(sw, args.group, \.tagged, true) }
        t.on(.vmgroupTagRemove) { args, _ throws(CommandFailure) in try restore(sw, args.group, \.tagged, false) }
        t.on(.vmgroupVM) { args, _ throws(CommandFailure) in
            guard let vm = try VirtSupport.reference(mac: args.mac, index: args.index, ip: args.ip, name: args.name) else { return }
            let number = args.group
            let alike = sw.vms.references(alike: vm)
            try VirtSupport.configure(sw) { virt throws(VirtError) in
                try virt.addMember(vm, toGroup: number, alike: alike)
            }
        }
        t.on(.vmgroupVMRemove) { args, _ throws(CommandFailure) in
            guard let vm = try VirtSupport.reference(mac: args.mac, index: args.index, ip: args.ip, name: args.name) else { return }
            let number = args.group
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.removeMember(vm, fromGroup: number) }
        }
        t.on(.vmgroupPort) { args, _ throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, args.ports)
            try edit(sw, args.group) { _, g throws(CommandFailure) in g.ports.formUnion(ports) }
        }
        t.on(.vmgroupPortRemove) { args, _ throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, args.ports)
            try edit(sw, args.group, removing: true) { _, g throws(CommandFailure) in g.ports.subtract(ports) }
        }
        t.on(.vmgroupProfile) { args, _ throws(CommandFailure) in try set(sw, args.group, \.profile, args.profile) }
        t.on(.vmgroupProfileRemove) { args, _ throws(CommandFailure) in try restore(sw, args.group, \.profile, nil) }
        t.on(.vmgroupValidate) { args, _ throws(CommandFailure) in
            let level: VMValidation = switch args.level {
            case .basic: .basic
            case .advanced: .advanced
            }
            try set(sw, args.group, \.validation, level)
        }
        t.on(.vmgroupValidateRemove) { args, _ throws(CommandFailure) in try restore(sw, args.group, \.validation, nil) }
    }

    /// Edits the group as one locked step (`SwitchState.editVMGroup`). `number` is the group
    /// the command names (one-line form) or the mode's (sub-mode form).
    private static func edit(_ sw: VMreadySwitch, _ number: Int, removing: Bool = false,
                             _ change: @escaping (SwitchState, inout VMGroup) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            try s.editVMGroup(number, removing: removing, change)
        }
    }

    /// One setting of the group, which the command creates when it does not exist yet.
    private static func set<Value>(_ sw: VMreadySwitch, _ number: Int,
                                   _ setting: WritableKeyPath<VMGroup, Value>, _ value: Value) throws(CommandFailure) {
        try edit(sw, number) { _, g throws(CommandFailure) in g[keyPath: setting] = value }
    }

    /// A `no` form: the setting back to its default, in a group that must exist.
    private static func restore<Value>(_ sw: VMreadySwitch, _ number: Int,
                                       _ setting: WritableKeyPath<VMGroup, Value>, _ value: Value) throws(CommandFailure) {
        try edit(sw, number, removing: true) { _, g throws(CommandFailure) in g[keyPath: setting] = value }
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
