import CommandEngine
import Console
import Dataplane
import Frames
import RunningConfig

/// `mac-address-table aging-time|limit [port]|static`, `show mac-address-table`, `clear mac-address-table`.
enum MACTableCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.macAging) { args, _ throws(CommandFailure) in
            let seconds = args.seconds
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.macAgeingSeconds = seconds }
        }
        t.on(.macAgingDefault) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.macAgeingSeconds = 300 }
        }
        t.on(.macLimit) { args, _ throws(CommandFailure) in
            let n = args.entries
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.macLimit = n }
        }
        t.on(.macLimitDefault) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.macLimit = 32768 }
        }
        t.on(.macLimitPort) { args, _ throws(CommandFailure) in
            let n = args.entries
            let ports = args.ports
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                for p in ports { try s.setMACLimit(n, of: p) }
            }
        }
        t.on(.macLimitPortRemove) { args, _ throws(CommandFailure) in
            let ports = args.ports
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                for p in ports { try s.requireBridgePort(p) }
                guard ports.contains(where: { s.macLimit(of: $0) != nil }) else {
                    throw CommandFailure("No MAC limit on port \(BridgePortListFormat.string(ports))")
                }
                for p in ports { try s.setMACLimit(nil, of: p) }
            }
        }
        t.on(.macStatic) { args, _ throws(CommandFailure) in
            let mac = args.mac
            let vlan = UInt16(args.vlan)
            let port = args.port
            try InterfaceCommands.validPort(sw, port)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try s.requireVLAN(vlan)
                try refusing { () throws(BridgeConfigurationError) in
                    try s.bridge.addStaticMACEntry(StaticMACEntry(mac: mac, vlan: vlan, port: port))
                }
            }
        }
        t.on(.macStaticRemove) { args, _ throws(CommandFailure) in
            let mac = args.mac
            let vlan = UInt16(args.vlan)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.bridge.removeStaticMACEntry(mac: mac, vlan: vlan) else {
                    throw CommandFailure("No static entry for \(mac) in VLAN \(vlan)")
                }
            }
        }
        t.on(.showMACTable) { args, ctx throws(CommandFailure) in
            var entries = sw.dataplane.macEntries()
            if args.count {
                ctx.show(MACTableCountReport(sw, entries))
                return
            }
            if let v = args.vlan { entries = entries.filter { $0.vlan == UInt16(v) } }
            if let p = args.port {
                try InterfaceCommands.validPort(sw, p)
                entries = entries.filter { $0.port == p }
            }
            if let m = args.mac { entries = entries.filter { $0.mac == m } }
            entries.sort { ($0.mac, $0.vlan) < ($1.mac, $1.vlan) }
            ctx.show(MACTableReport(entries))
        }
        t.on(.clearMACTable) { _, _ in
            _ = sw.dataplane.clearDynamicMACEntries()
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        var lines: [String] = []
        if s.bridge.macAgeingSeconds != 300 { lines.append("mac-address-table aging-time \(s.bridge.macAgeingSeconds)") }
        if s.bridge.macLimit != 32768 { lines.append("mac-address-table limit \(s.bridge.macLimit)") }
        // Ports and vNICs sharing a limit render as one list, in order of their first port.
        let byLimit = Dictionary(grouping: s.macLimits, by: \.limit).mapValues { $0.map(\.port).sorted() }
        for (portLimit, ports) in byLimit.sorted(by: { $0.value[0] < $1.value[0] }) {
            lines.append("mac-address-table limit \(portLimit) port \(BridgePortListFormat.string(ports))")
        }
        for e in s.bridge.staticMACEntries.sorted(by: { ($0.vlan, $0.mac) < ($1.vlan, $1.mac) }) {
            lines.append("mac-address-table static \(e.mac) vlan \(e.vlan) port \(e.port)")
        }
        return lines.isEmpty ? [] : [ConfigStanza(section: .macTable, lines: lines)]
    }
}
