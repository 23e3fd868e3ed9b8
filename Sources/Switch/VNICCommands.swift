import CommandEngine
import Console
import Dataplane
import RunningConfig
import SwitchTypes

/// `vnic ...`: the global switch, a port's vNICs (`vnic port P index I`, its mode, its
/// upstream, CDCP), vNIC groups (`vnic vnicgroup N`), and `show vnic`. The rules are
/// SwitchState's (`SwitchState+VNICs`) and the bridge's own validation, which refuses on
/// publish with its message.
enum VNICCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.vnicEnable) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.vnicEnabled = true }
        }
        t.on(.vnicDisable) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.vnicEnabled = false }
        }
        t.on(.vnicEnter) { args, _ throws(CommandFailure) in
            try editVNIC(sw, args.port, args.index) { _ throws(CommandFailure) in }
        }
        t.on(.vnicDelete) { args, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.deleteVNIC(port: args.port, index: args.index) }
        }
        t.on(.vnicBandwidth) { args, _ throws(CommandFailure) in
            try editVNIC(sw, args.port, args.index) { v throws(CommandFailure) in v.bandwidthPercent = args.percent }
        }
        t.on(.vnicBandwidthDefault) { args, _ throws(CommandFailure) in
            try editVNIC(sw, args.port, args.index, create: false) { v throws(CommandFailure) in
                v.bandwidthPercent = VNICConfiguration.defaultBandwidthPercent
            }
        }
        t.on(.vnicOn) { args, _ throws(CommandFailure) in
            try editVNIC(sw, args.port, args.index) { v throws(CommandFailure) in v.isEnabled = true }
        }
        t.on(.vnicOff) { args, _ throws(CommandFailure) in
            try editVNIC(sw, args.port, args.index, create: false) { v throws(CommandFailure) in v.isEnabled = false }
        }
        t.on(.vnicMode) { args, _ throws(CommandFailure) in
            let mode: VNICMode? = switch args.mode {
            case .switch: .switch
            case .ioExtender: nil
            }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.setVNICMode(port: args.port, mode) }
        }
        t.on(.vnicModeDefault) { args, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.setVNICMode(port: args.port, .switch) }
        }
        t.on(.vnicUpstream) { args, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try s.setVNICMode(port: args.port, .ioExtender(upstream: args.upstream))
            }
        }
        t.on(.vnicCDCP) { args, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try s.requirePort(args.port)
                s.vnicCDCPPorts.insert(args.port)
            }
        }
        t.on(.vnicCDCPRemove) { args, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try s.requirePort(args.port)
                s.vnicCDCPPorts.remove(args.port)
            }
        }
        t.on(.vnicgroupEnter) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group) { _, _ throws(CommandFailure) in }
        }
        t.on(.vnicgroupDelete) { args, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.deleteVNICGroup(args.group) }
        }
        t.on(.vnicgroupVLAN) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group) { s, g throws(CommandFailure) in g.vlan = try s.existingVLAN(args.vlan) }
        }
        t.on(.vnicgroupVLANRemove) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group, create: false) { _, g throws(CommandFailure) in g.vlan = nil }
        }
        t.on(.vnicgroupMember) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group) { _, g throws(CommandFailure) in g.members.insert(args.vnic) }
        }
        t.on(.vnicgroupMemberRemove) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group, create: false) { _, g throws(CommandFailure) in
                guard g.members.remove(args.vnic) != nil else {
                    throw CommandFailure("vNIC \(args.vnic) is not a member of vnicgroup \(args.group)")
                }
            }
        }
        t.on(.vnicgroupUplink) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group) { s, g throws(CommandFailure) in
                try s.requirePort(args.uplink)
                g.uplink = args.uplink
            }
        }
        t.on(.vnicgroupUplinkRemove) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group, create: false) { _, g throws(CommandFailure) in g.uplink = nil }
        }
        t.on(.vnicgroupOn) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group) { _, g throws(CommandFailure) in g.isEnabled = true }
        }
        t.on(.vnicgroupOff) { args, _ throws(CommandFailure) in
            try editGroup(sw, args.group, create: false) { _, g throws(CommandFailure) in g.isEnabled = false }
        }
        t.on(.showVNIC) { args, ctx throws(CommandFailure) in
            if let port = args.port { try InterfaceCommands.validPort(sw, port) }
            let s = sw.state.withLock { $0 }
            ctx.show(VNICReport(s, counters: sw.dataplane.vnicCounters(), port: args.port))
        }
        t.on(.showVNICVNICGroup) { args, ctx throws(CommandFailure) in
            let s = sw.state.withLock { $0 }
            if let only = args.group, s.bridge.vnicGroups[only] == nil {
                throw CommandFailure("vNIC group \(only) does not exist")
            }
            ctx.show(VNICGroupReport(s, only: args.group))
        }
    }

    /// One vNIC's settings, as one validated step. A setting creates the vNIC when another
    /// session deleted it meanwhile (as `vnic port P index I` would); a `no` form needs it.
    private static func editVNIC(_ sw: VMreadySwitch, _ port: Int, _ index: Int, create: Bool = true,
                                 _ change: (inout VNICConfiguration) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            try s.editVNIC(port: port, index: index, create: create, change)
        }
    }

    /// One group's settings, as one validated step; `change` sees the state (VLANs, ports).
    private static func editGroup(_ sw: VMreadySwitch, _ number: Int, create: Bool = true,
                                  _ change: (SwitchState, inout VNICGroup) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            let current = s
            try s.editVNICGroup(number, create: create) { g throws(CommandFailure) in try change(current, &g) }
        }
    }

    /// After the interfaces (their speeds and VLANs): the global switch and the ports' modes,
    /// then each vNIC's block, then the groups, which name vNICs, VLANs and uplinks (the
    /// uplink first: a port whose VLAN the group takes must be its uplink before).
    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        let bridge = s.bridge
        var global: [String] = []
        if bridge.vnicEnabled { global.append("vnic enable") }
        for port in Set(bridge.vnicPorts.keys).union(s.vnicCDCPPorts).sorted() {
            if case .ioExtender(let upstream) = bridge.vnicPorts[port]?.mode {
                global.append("vnic port \(port) io-extender upstream \(upstream)")
            }
            if s.vnicCDCPPorts.contains(port) { global.append("vnic port \(port) cdcp") }
        }
        var out: [ConfigStanza] = global.isEmpty ? [] : [ConfigStanza(section: .vnics, key: 0, lines: global)]
        for port in bridge.vnicPorts.keys.sorted() {
            for (index, vnic) in bridge.vnicPorts[port]!.vnics.sorted(by: { $0.key < $1.key }) {
                var body: [String] = []
                if vnic.bandwidthPercent != VNICConfiguration.defaultBandwidthPercent { body.append("bandwidth \(vnic.bandwidthPercent)") }
                if vnic.isEnabled { body.append("enable") }
                out.append(ConfigStanza(section: .vnics, key: 1_000 + port * 10 + index,
                                        header: "vnic port \(port) index \(index)", body: body))
            }
        }
        for (number, group) in bridge.vnicGroups.sorted(by: { $0.key < $1.key }) {
            var body: [String] = []
            if let uplink = group.uplink { body.append("port \(uplink)") }
            if let vlan = group.vlan { body.append("vlan \(vlan)") }
            body += group.members.sorted().map { "member \($0)" }
            if group.isEnabled { body.append("enable") }
            out.append(ConfigStanza(section: .vnics, key: 10_000 + number, header: "vnic vnicgroup \(number)", body: body))
        }
        return out
    }
}
