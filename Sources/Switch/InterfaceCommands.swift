import CommandEngine
import Console
import Dataplane
import RunningConfig
import SwitchTypes

/// `interface port LIST` and the per-port settings: state, description, 802.1Q membership.
/// LIST may name vNICs (`1.1-1.4`): each is a bridge port with its own switchport settings.
enum InterfaceCommands: SwitchFeature {
    static let maxDescriptionLength = 64

    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.interfaceEnter) { args, _ throws(CommandFailure) in
            let ports = args.ports
            try sw.state.withLock { (s: inout SwitchState) throws(CommandFailure) in
                for p in ports { try s.requireBridgePort(p) }
            }
        }
        t.on(.interfaceDescription) { args, _ throws(CommandFailure) in
            let text = args.text
            guard (1...maxDescriptionLength).contains(text.count) else {
                throw CommandFailure("Description must be 1-\(maxDescriptionLength) characters")
            }
            try update(sw, args.ports) { s, p throws(CommandFailure) in s.setDescription(text, of: p) }
        }
        t.on(.interfaceDescriptionClear) { args, _ throws(CommandFailure) in
            try update(sw, args.ports) { s, p throws(CommandFailure) in s.setDescription(nil, of: p) }
        }
        t.on(.interfaceShutdown) { args, _ throws(CommandFailure) in
            let ports = try physical(args.ports, "is turned off with `no enable` in its vnic port block")
            try update(sw, ports) { s, p throws(CommandFailure) in s.setPort(p.port, enabled: false) }
        }
        t.on(.interfaceNoShutdown) { args, _ throws(CommandFailure) in
            let ports = try physical(args.ports, "is turned on with `enable` in its vnic port block")
            try update(sw, ports) { s, p throws(CommandFailure) in s.setPort(p.port, enabled: true) }
        }
        t.on(.interfaceSwitchportMode) { args, _ throws(CommandFailure) in
            let mode: PortMode = switch args.mode {
            case .access: .access
            case .trunk: .trunk
            }
            try set(sw, args.ports, \.mode, mode)
        }
        t.on(.interfaceSwitchportModeDefault) { args, _ throws(CommandFailure) in try set(sw, args.ports, \.mode, .access) }
        t.on(.interfaceSwitchportAccess) { args, _ throws(CommandFailure) in try setVLAN(sw, args.ports, \.accessVLAN, args.vlan) }
        t.on(.interfaceSwitchportAccessDefault) { args, _ throws(CommandFailure) in try set(sw, args.ports, \.accessVLAN, 1) }
        t.on(.interfaceSwitchportAllowed) { args, _ throws(CommandFailure) in
            try set(sw, args.ports, \.trunkAllowedVLANs, VLANSet(args.vlans.map { UInt16($0) }))
        }
        t.on(.interfaceSwitchportAllowedDefault) { args, _ throws(CommandFailure) in
            try set(sw, args.ports, \.trunkAllowedVLANs, .all)
        }
        t.on(.interfaceSwitchportNative) { args, _ throws(CommandFailure) in try setVLAN(sw, args.ports, \.nativeVLAN, args.vlan) }
        t.on(.interfaceSwitchportNativeDefault) { args, _ throws(CommandFailure) in try set(sw, args.ports, \.nativeVLAN, 1) }
        t.on(.interfaceSpeed) { args, _ throws(CommandFailure) in
            try set(sw, physical(args.ports, "runs at its bandwidth share of the port's speed"), \.speed, args.mbits)
        }
        t.on(.interfaceSpeedDefault) { args, _ throws(CommandFailure) in
            try set(sw, physical(args.ports, "runs at its bandwidth share of the port's speed"), \.speed, PortConfiguration().speed)
        }
        t.on(.showInterface) { args, ctx throws(CommandFailure) in
            let ports = try validBridgePorts(sw, args.ports)
            ctx.show(InterfaceStatusReport(sw, ports: ports))
        }
        t.on(.showInterfaceCounters) { args, ctx throws(CommandFailure) in
            let ports = try validBridgePorts(sw, args.ports)
            ctx.show(InterfaceCountersReport(sw, ports: ports))
        }
        t.on(.clearCounters) { args, _ throws(CommandFailure) in
            let ports = try validBridgePorts(sw, args.ports)
            if args.ports == nil {
                sw.dataplane.clearCounters()
            } else {
                for p in ports {
                    if p.isVNIC { sw.dataplane.clearCounters(vnic: p) } else { sw.dataplane.clearCounters(port: p.port) }
                }
            }
        }
    }

    /// The physical ports named (all when nil), each checked to exist; a vNIC is refused:
    /// what the command sets belongs to the port (LLDP, MAC limits, server ports, ...).
    static func validPorts(_ sw: VMreadySwitch, _ ports: [BridgePort]?) throws(CommandFailure) -> [Int] {
        guard let ports else { return Array(1...sw.portCount) }
        if let vnic = ports.first(where: \.isVNIC) {
            throw CommandFailure("\(vnic) is a vNIC: this takes physical ports only")
        }
        if let bad = ports.first(where: { $0.port > sw.portCount }) {
            throw CommandFailure("Port \(bad) does not exist (ports are 1-\(sw.portCount))")
        }
        return ports.map(\.port)
    }

    /// One physical port, checked to exist.
    static func validPort(_ sw: VMreadySwitch, _ port: Int) throws(CommandFailure) {
        _ = try validPorts(sw, [BridgePort(port: port)])
    }

    /// The ports and configured vNICs named, each checked to exist; when nil, every port
    /// followed by its vNICs.
    static func validBridgePorts(_ sw: VMreadySwitch, _ ports: [BridgePort]?) throws(CommandFailure) -> [BridgePort] {
        try sw.state.withLock { (s: inout SwitchState) throws(CommandFailure) -> [BridgePort] in
            guard let ports else { return s.allBridgePorts }
            for p in ports { try s.requireBridgePort(p) }
            return ports
        }
    }

    /// `ports` when none is a vNIC; for a vNIC, the error says how the vNIC `instead` does it.
    private static func physical(_ ports: [BridgePort], _ instead: String) throws(CommandFailure) -> [BridgePort] {
        if let vnic = ports.first(where: \.isVNIC) {
            throw CommandFailure("\(vnic) is a vNIC: a vNIC \(instead)")
        }
        return ports
    }

    /// Applies a change to every port and vNIC of the `interface port LIST` the session is
    /// in, as one step; a vNIC deleted since the session entered the mode fails it whole.
    private static func update(_ sw: VMreadySwitch, _ ports: [BridgePort],
                               _ change: (inout SwitchState, BridgePort) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            for p in ports {
                try s.requireBridgePort(p)
                try change(&s, p)
            }
        }
    }

    /// One 802.1Q setting of every port in the list: the value a command gives, or the
    /// default its `no` form restores.
    private static func set<Value>(_ sw: VMreadySwitch, _ ports: [BridgePort],
                                   _ setting: WritableKeyPath<PortConfiguration, Value>, _ value: Value) throws(CommandFailure) {
        try update(sw, ports) { s, p throws(CommandFailure) in
            try s.editSwitchport(p) { c throws(CommandFailure) in c[keyPath: setting] = value }
        }
    }

    /// A port's access or native VLAN: one that exists, checked under the lock (another
    /// session may delete it).
    private static func setVLAN(_ sw: VMreadySwitch, _ ports: [BridgePort],
                                _ setting: WritableKeyPath<PortConfiguration, UInt16>, _ vlan: Int) throws(CommandFailure) {
        let vid = UInt16(vlan)
        try update(sw, ports) { s, p throws(CommandFailure) in
            try s.requireVLAN(vid)
            try s.editSwitchport(p) { c throws(CommandFailure) in c[keyPath: setting] = vid }
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        (1...s.bridge.portCount).compactMap { port in
            let p = s.bridge[port: port]
            var body: [String] = []
            if let d = s.descriptions[port - 1] { body.append("description " + ConfigText.quoted(d)) }
            if !p.isEnabled { body.append("shutdown") }
            body += switchportLines(p)
            if p.speed != PortConfiguration().speed { body.append("speed \(p.speed)") }
            // Bound by AccessControlCommands; rendered in the port's block where the binding is typed.
            body += p.acls.map { "access-control list \($0)" }
            // The port's control-plane settings, in its one block.
            body += LLDPCommands.portLines(s, port: port) + DCBXCommands.portLines(s, port: port)
                + EVBCommands.portLines(s, port: port)
            guard !body.isEmpty else { return nil }
            return ConfigStanza(section: .interfaces, key: port, header: "interface port \(port)", body: body)
        } + vnicStanzas(s)
    }

    /// `interface port P.I` blocks: after the vNICs exist (`vnic port P index I`, keys
    /// 1,000-1,644 of the section) and before the vNIC groups (10,000 on), which a vNIC's
    /// VLAN must not collide with.
    private static func vnicStanzas(_ s: SwitchState) -> [ConfigStanza] {
        s.allBridgePorts.filter(\.isVNIC).compactMap { vnic in
            let p = s.switchport(vnic)
            var body: [String] = []
            if let d = s.vnicDescriptions[vnic] { body.append("description " + ConfigText.quoted(d)) }
            body += switchportLines(p) + p.acls.map { "access-control list \($0)" }
            guard !body.isEmpty else { return nil }
            return ConfigStanza(section: .vnics, key: 5_000 + vnic.port * 10 + (vnic.vnic ?? 0),
                                header: "interface port \(vnic)", body: body)
        }
    }

    /// The 802.1Q lines of a port's or vNIC's switchport settings that differ from the defaults.
    private static func switchportLines(_ p: PortConfiguration) -> [String] {
        var body: [String] = []
        if p.mode == .trunk { body.append("switchport mode trunk") }
        if p.accessVLAN != 1 { body.append("switchport access vlan \(p.accessVLAN)") }
        if p.trunkAllowedVLANs != .all { body.append("switchport trunk allowed vlan \(p.trunkAllowedVLANs)") }
        if p.nativeVLAN != 1 { body.append("switchport trunk native vlan \(p.nativeVLAN)") }
        return body
    }
}
