import CommandEngine
import Console
import Dataplane
import Frames
import RunningConfig

/// `mac-address-table aging-time|limit|static`, `show mac-address-table`, `clear mac-address-table`.
extension VMreadySwitch {
    enum MACTableCommands {}
}

extension VMreadySwitch.MACTableCommands {
    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on("mac.aging") { ctx throws(CommandFailure) in
            let seconds = ctx.arguments.integer("seconds") ?? 300
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.macAgeingSeconds = seconds }
        }
        t.on("mac.aging.default") { _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.macAgeingSeconds = 300 }
        }
        t.on("mac.limit") { ctx throws(CommandFailure) in
            let n = ctx.arguments.integer("entries") ?? 32768
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.macLimit = n }
        }
        t.on("mac.limit.default") { _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.bridge.macLimit = 32768 }
        }
        t.on("mac.static") { ctx throws(CommandFailure) in
            let mac = MACAddress(rawValue: ctx.arguments.mac("mac") ?? 0)
            let vlan = UInt16(ctx.arguments.integer("vlan") ?? 1)
            let port = ctx.arguments.integer("port") ?? 1
            _ = try VMreadySwitch.InterfaceCommands.validPorts(sw, [port])
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try s.requireVLAN(vlan)
                try refusing { () throws(BridgeConfigurationError) in
                    try s.bridge.addStaticMACEntry(StaticMACEntry(mac: mac, vlan: vlan, port: port))
                }
            }
        }
        t.on("mac.static.remove") { ctx throws(CommandFailure) in
            let mac = MACAddress(rawValue: ctx.arguments.mac("mac") ?? 0)
            let vlan = UInt16(ctx.arguments.integer("vlan") ?? 1)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.bridge.removeStaticMACEntry(mac: mac, vlan: vlan) else {
                    throw CommandFailure("No static entry for \(mac) in VLAN \(vlan)")
                }
            }
        }
        t.on("show.mac-table") { ctx throws(CommandFailure) in
            var entries = sw.dataplane.macEntries()
            if ctx.command.has(keyword: "count") {
                let statics = entries.filter(\.isStatic).count
                ctx.print("Total MAC entries: \(entries.count) (\(entries.count - statics) dynamic, \(statics) static)")
                let limit = sw.state.withLock { $0.bridge.macLimit }
                ctx.print("Dynamic entry limit: \(limit)")
                return
            }
            if let v = ctx.arguments.integer("vlan") { entries = entries.filter { $0.vlan == UInt16(v) } }
            if let p = ctx.arguments.integer("port") {
                _ = try VMreadySwitch.InterfaceCommands.validPorts(sw, [p])
                entries = entries.filter { $0.port == p }
            }
            if let m = ctx.arguments.mac("mac") { entries = entries.filter { $0.mac.rawValue == m } }
            entries.sort { ($0.mac, $0.vlan) < ($1.mac, $1.vlan) }
            ctx.print("     MAC address       VLAN     Port    State  Permanent")
            ctx.print("  -----------------  --------  -------  -----  ---------")
            for e in entries {
                ctx.print("  \(e.mac)" + padLeft(String(e.vlan), 9) + padLeft(String(e.port), 9) + "    FWD"
                          + (e.isStatic ? "       P" : ""))
            }
        }
        t.on("clear.mac-table") { _ in
            _ = sw.dataplane.clearDynamicMACEntries()
        }
        return t
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        var lines: [String] = []
        if s.bridge.macAgeingSeconds != 300 { lines.append("mac-address-table aging-time \(s.bridge.macAgeingSeconds)") }
        if s.bridge.macLimit != 32768 { lines.append("mac-address-table limit \(s.bridge.macLimit)") }
        for e in s.bridge.staticMACEntries.sorted(by: { ($0.vlan, $0.mac) < ($1.vlan, $1.mac) }) {
            lines.append("mac-address-table static \(e.mac) vlan \(e.vlan) port \(e.port)")
        }
        return lines.isEmpty ? [] : [ConfigStanza(section: .macTable, lines: lines)]
    }
}
