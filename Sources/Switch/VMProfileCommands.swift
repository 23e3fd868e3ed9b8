import CommandEngine
import Console
import Dataplane
import RunningConfig
import SwitchTypes
import Virtualization

/// `virt vmprofile NAME` (sub-mode) and `virt vmprofile edit NAME ...` (one line).
enum VMProfileCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.vmprofileEnter) { args, _ throws(CommandFailure) in
            try VirtSupport.configure(sw) { virt throws(VirtError) in try virt.ensureProfile(args.profile) }
        }
        t.on(.vmprofileDelete) { args, _ throws(CommandFailure) in
            let name = args.profile
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                if let type = s.evb.vsiTypes.keys.sorted().first(where: { s.evb.vsiTypes[$0]?.profile == name }) {
                    throw CommandFailure("VM profile \(name) is used by VSI type \(type.id) version \(type.version)")
                }
                try VirtSupport.virt { () throws(VirtError) in try s.virt.removeProfile(name) }
            }
        }
        t.on(.vmprofileVLAN) { args, _ throws(CommandFailure) in
            try edit(sw, args.profile) { s, p throws(CommandFailure) in p.vlan = try s.existingVLAN(args.vlan) }
        }
        t.on(.vmprofileVLANRemove) { args, _ throws(CommandFailure) in try set(sw, args.profile, \.vlan, nil) }
        t.on(.vmprofileShaping) { args, _ throws(CommandFailure) in
            try set(sw, args.profile, \.shaping, try shaping(average: args.average, burst: args.burst, peak: args.peak))
        }
        t.on(.vmprofileShapingRemove) { args, _ throws(CommandFailure) in try set(sw, args.profile, \.shaping, nil) }
        t.on(.vmprofileEshaping) { args, _ throws(CommandFailure) in
            try set(sw, args.profile, \.egressShaping, try shaping(average: args.average, burst: args.burst, peak: args.peak))
        }
        t.on(.vmprofileEshapingRemove) { args, _ throws(CommandFailure) in try set(sw, args.profile, \.egressShaping, nil) }
        t.on(.vmprofileACL) { args, _ throws(CommandFailure) in
            let acl = args.acl
            try edit(sw, args.profile) { s, p throws(CommandFailure) in
                try VirtSupport.requireACL(s, acl)
                p.applyACL(acl)
            }
        }
        t.on(.vmprofileACLRemove) { args, _ throws(CommandFailure) in
            let acl = args.acl
            try edit(sw, args.profile) { _, p throws(CommandFailure) in
                guard p.removeACL(acl) else { throw CommandFailure("ACL \(acl) is not applied by VM profile \(p.name)") }
            }
        }
    }

    private static func shaping(average: Int, burst: Int, peak: Int) throws(CommandFailure) -> Shaping {
        guard peak >= average else {
            throw CommandFailure("Peak rate \(peak) must be at least the average rate \(average)")
        }
        return Shaping(averageKbps: average, burstKBytes: burst, peakKbps: peak)
    }

    /// `name` is the profile the command names (one-line form) or the mode's (sub-mode form).
    private static func edit(_ sw: VMreadySwitch, _ name: String,
                             _ change: @escaping (SwitchState, inout VMProfile) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.editVMProfile(name, change) }
    }

    /// One setting of the profile (created when it does not exist yet), or its `no` form.
    private static func set<Value>(_ sw: VMreadySwitch, _ name: String,
                                   _ setting: WritableKeyPath<VMProfile, Value>, _ value: Value) throws(CommandFailure) {
        try edit(sw, name) { _, p throws(CommandFailure) in p[keyPath: setting] = value }
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
