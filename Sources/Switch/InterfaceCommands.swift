import CommandEngine
import Console
import Dataplane
import RunningConfig

/// `interface port LIST` and the per-port settings: state, description, 802.1Q membership.
enum InterfaceCommands: SwitchFeature {
    static let maxDescriptionLength = 64

    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.interfaceEnter) { args, _ throws(CommandFailure) in
            _ = try validPorts(sw, args.ports)
        }
        t.on(.interfaceDescription) { args, _ throws(CommandFailure) in
            let text = args.text
            guard (1...maxDescriptionLength).contains(text.count) else {
                throw CommandFailure("Description must be 1-\(maxDescriptionLength) characters")
            }
            try update(sw, args.ports) { s, p throws(CommandFailure) in s.descriptions[p - 1] = text }
        }
        t.on(.interfaceDescriptionClear) { args, _ throws(CommandFailure) in
            try update(sw, args.ports) { s, p throws(CommandFailure) in s.descriptions[p - 1] = nil }
        }
        t.on(.interfaceShutdown) { args, _ throws(CommandFailure) in
            try update(sw, args.ports) { s, p throws(CommandFailure) in s.setPort(p, enabled: false) }
        }
        t.on(.interfaceNoShutdown) { args, _ throws(CommandFailure) in
            try update(sw, args.ports) { s, p throws(CommandFailure) in s.setPort(p, enabled: true) }
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
        t.on(.interfaceSpeed) { args, _ throws(CommandFailure) in try set(sw, args.ports, \.speed, args.mbits) }
        t.on(.interfaceSpeedDefault) { args, _ throws(CommandFailure) in
            try set(sw, args.ports, \.speed, PortConfiguration().speed)
        }
        t.on(.showInterface) { args, ctx throws(CommandFailure) in
            let ports = try validPorts(sw, args.ports)
            ctx.print(lines: InterfaceReport.status(sw, ports: ports))
        }
        t.on(.showInterfaceCounters) { args, ctx throws(CommandFailure) in
            let ports = try validPorts(sw, args.ports)
            ctx.print(lines: InterfaceReport.counters(sw, ports: ports))
        }
        t.on(.clearCounters) { args, _ throws(CommandFailure) in
            let ports = try validPorts(sw, args.ports)
            if args.ports == nil {
                sw.dataplane.clearCounters()
            } else {
                for p in ports { sw.dataplane.clearCounters(port: p) }
            }
        }
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
    private static func update(_ sw: VMreadySwitch, _ ports: [Int],
                               _ change: (inout SwitchState, Int) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            for p in ports where s.bridge.isValidPort(p) { try change(&s, p) }
        }
    }

    /// One 802.1Q setting of every port in the list: the value a command gives, or the
    /// default its `no` form restores.
    private static func set<Value>(_ sw: VMreadySwitch, _ ports: [Int],
                                   _ setting: WritableKeyPath<PortConfiguration, Value>, _ value: Value) throws(CommandFailure) {
        try update(sw, ports) { s, p throws(CommandFailure) in s.bridge[port: p][keyPath: setting] = value }
    }

    /// A port's access or native VLAN: one that exists, checked under the lock (another
    /// session may delete it).
    private static func setVLAN(_ sw: VMreadySwitch, _ ports: [Int],
                                _ setting: WritableKeyPath<PortConfiguration, UInt16>, _ vlan: Int) throws(CommandFailure) {
        let vid = UInt16(vlan)
        try update(sw, ports) { s, p throws(CommandFailure) in
            try s.requireVLAN(vid)
            s.bridge[port: p][keyPath: setting] = vid
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
            if p.speed != PortConfiguration().speed { body.append("speed \(p.speed)") }
            // Bound by AccessControlCommands; rendered in the port's block where the binding is typed.
            body += p.acls.map { "access-control list \($0)" }
            // The port's control-plane settings, in its one block.
            body += LLDPCommands.portLines(s, port: port) + DCBXCommands.portLines(s, port: port)
            guard !body.isEmpty else { return nil }
            return ConfigStanza(section: .interfaces, key: port, header: "interface port \(port)", body: body)
        }
    }
}
