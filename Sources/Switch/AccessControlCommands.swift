import CommandEngine
import Console
import Dataplane
import Foundation
import Frames
import RunningConfig

/// `access-control list N ...` (one ACL = one rule), applying ACLs to ports, and
/// `show access-control`.
extension VMreadySwitch {
    enum AccessControlCommands {}
}

extension VMreadySwitch.AccessControlCommands {
    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on("acl.source-mac") { ctx throws(CommandFailure) in
            let match = MACMatch(address: MACAddress(rawValue: ctx.arguments.mac("mac") ?? 0),
                                 mask: MACAddress(rawValue: ctx.arguments.mac("mask") ?? 0))
            try edit(sw, ctx) { $0.sourceMAC = match }
        }
        t.on("acl.destination-mac") { ctx throws(CommandFailure) in
            let match = MACMatch(address: MACAddress(rawValue: ctx.arguments.mac("mac") ?? 0),
                                 mask: MACAddress(rawValue: ctx.arguments.mac("mask") ?? 0))
            try edit(sw, ctx) { $0.destinationMAC = match }
        }
        t.on("acl.ethertype") { ctx throws(CommandFailure) in
            let type: UInt16
            switch ctx.arguments.text("type") {
            case "arp": type = EtherType.arp
            case "ip": type = EtherType.ipv4
            case "ipv6": type = 0x86dd
            default:
                let text = (ctx.arguments.text("hex") ?? "").lowercased()
                guard text.hasPrefix("0x"), (3...6).contains(text.count), let value = UInt16(text.dropFirst(2), radix: 16),
                      value >= 0x0600 else {
                    throw CommandFailure("EtherType must be arp, ip, ipv6 or 0x0600-0xffff in hex, e.g. 0x8035")
                }
                type = value
            }
            try edit(sw, ctx) { $0.etherType = type }
        }
        t.on("acl.source-ip") { ctx throws(CommandFailure) in
            let match = ipMatch(ctx)
            try edit(sw, ctx) { $0.sourceIP = match }
        }
        t.on("acl.destination-ip") { ctx throws(CommandFailure) in
            let match = ipMatch(ctx)
            try edit(sw, ctx) { $0.destinationIP = match }
        }
        t.on("acl.protocol") { ctx throws(CommandFailure) in
            let proto = UInt8(ctx.arguments.integer("protocol") ?? 0)
            try edit(sw, ctx) { $0.ipProtocol = proto }
        }
        t.on("acl.l4port") { ctx throws(CommandFailure) in
            let port = UInt16(ctx.arguments.integer("number") ?? 0)
            var mask: UInt16 = 0xffff
            if let text = ctx.arguments.text("portmask")?.lowercased() {
                let value = text.hasPrefix("0x") ? UInt16(text.dropFirst(2), radix: 16) : UInt16(text)
                guard let value, value != 0 else {
                    throw CommandFailure("Port mask must be 1-65535 or 0x1-0xffff, e.g. 0xfff0")
                }
                mask = value
            }
            let match = L4PortMatch(port: port, mask: mask)
            let source = ctx.arguments.text("which") == "source-port"
            try edit(sw, ctx) { rule in
                if source { rule.sourcePort = match } else { rule.destinationPort = match }
            }
        }
        t.on("acl.action") { ctx throws(CommandFailure) in
            let action = ACLAction(rawValue: ctx.arguments.text("action") ?? "") ?? .deny
            try edit(sw, ctx) { $0.action = action }
        }
        t.on("acl.statistics") { ctx throws(CommandFailure) in
            try edit(sw, ctx) { $0.statistics = true }
        }
        t.on("acl.clear") { ctx throws(CommandFailure) in
            let field = ctx.arguments.text("field") ?? ""
            try edit(sw, ctx, create: false) { rule in
                switch field {
                case "source-mac-address": rule.sourceMAC = nil
                case "destination-mac-address": rule.destinationMAC = nil
                case "ethernet-type": rule.etherType = nil
                case "source-ip-address": rule.sourceIP = nil
                case "destination-ip-address": rule.destinationIP = nil
                case "protocol": rule.ipProtocol = nil
                case "source-port": rule.sourcePort = nil
                case "destination-port": rule.destinationPort = nil
                case "action": rule.action = nil
                default: rule.statistics = false
                }
            }
        }
        t.on("acl.delete") { ctx throws(CommandFailure) in
            let number = ctx.arguments.integer("acl") ?? 0
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.deleteACL(number) }
        }
        t.on("interface.acl") { ctx throws(CommandFailure) in
            let number = ctx.arguments.integer("acl") ?? 0
            try updatePorts(sw, ctx) { s, port throws(CommandFailure) in try s.applyACL(number, toPort: port) }
        }
        t.on("interface.acl.remove") { ctx throws(CommandFailure) in
            let number = ctx.arguments.integer("acl") ?? 0
            try updatePorts(sw, ctx) { s, port throws(CommandFailure) in try s.removeACL(number, fromPort: port) }
        }
        t.on("show.acl") { ctx throws(CommandFailure) in
            let only = ctx.arguments.integer("acl")
            let (acls, s) = sw.state.withLock { ($0.bridge.acls, $0) }
            if let only, acls[only] == nil { throw CommandFailure("ACL \(only) is not defined") }
            let hits = sw.dataplane.aclHits()
            ctx.print(lines: ACLReport.lines(acls: acls, only: only, hits: hits, state: s))
        }
        t.on("clear.acl") { _ in sw.dataplane.clearACLStatistics() }
        return t
    }

    private static func ipMatch(_ ctx: CommandContext) -> IPv4Match {
        IPv4Match(address: IPv4Address(rawValue: ctx.arguments.ipv4("ip") ?? 0),
                  mask: IPv4Address(rawValue: ctx.arguments.ipv4("mask") ?? 0))
    }

    /// Edits ACL N, creating it unless `create` is false.
    private static func edit(_ sw: VMreadySwitch, _ ctx: CommandContext, create: Bool = true,
                             _ change: @escaping (inout ACLRule) -> Void) throws(CommandFailure) {
        let number = ctx.arguments.integer("acl") ?? 0
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            guard var rule = s.bridge.acls[number] ?? (create ? ACLRule() : nil) else {
                throw CommandFailure("ACL \(number) is not defined")
            }
            change(&rule)
            // An ACL is its filters and action: one left with nothing set has no way to be
            // written in the configuration, so it goes, unless something still applies it.
            if rule == ACLRule() {
                guard !s.virt.aclsInUse.contains(number),
                      !(1...s.bridge.portCount).contains(where: { s.bridge[port: $0].acls.contains(number) }) else {
                    throw CommandFailure("ACL \(number) would be left empty while in use; remove it from its ports and profiles first")
                }
                s.bridge.acls[number] = nil
            } else {
                s.bridge.acls[number] = rule
            }
        }
    }

    private static func updatePorts(_ sw: VMreadySwitch, _ ctx: CommandContext,
                                    _ change: (inout SwitchState, Int) throws(CommandFailure) -> Void) throws(CommandFailure) {
        let ports = ctx.modeArguments.ports("ports") ?? []
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            for p in ports where s.bridge.isValidPort(p) { try change(&s, p) }
        }
    }

    /// The `access-control list N ...` lines of one rule, in the canonical order.
    static func lines(_ number: Int, _ rule: ACLRule) -> [String] {
        let prefix = "access-control list \(number) "
        var out: [String] = []
        if let m = rule.sourceMAC { out.append(prefix + "ethernet source-mac-address \(m.address) \(m.mask)") }
        if let m = rule.destinationMAC { out.append(prefix + "ethernet destination-mac-address \(m.address) \(m.mask)") }
        if let type = rule.etherType { out.append(prefix + "ethernet ethernet-type " + ACLReport.etherTypeName(type)) }
        if let m = rule.sourceIP { out.append(prefix + "ipv4 source-ip-address \(m.address) \(m.mask)") }
        if let m = rule.destinationIP { out.append(prefix + "ipv4 destination-ip-address \(m.address) \(m.mask)") }
        if let proto = rule.ipProtocol { out.append(prefix + "ipv4 protocol \(proto)") }
        if let p = rule.sourcePort { out.append(prefix + "tcp-udp source-port \(p.port)" + ACLReport.maskSuffix(p.mask)) }
        if let p = rule.destinationPort {
            out.append(prefix + "tcp-udp destination-port \(p.port)" + ACLReport.maskSuffix(p.mask))
        }
        if let action = rule.action { out.append(prefix + "action " + action.rawValue) }
        if rule.statistics { out.append(prefix + "statistics") }
        return out
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        s.bridge.acls.keys.sorted().map { number in
            ConfigStanza(section: .accessControl, key: number, lines: lines(number, s.bridge.acls[number] ?? ACLRule()))
        }
    }
}

/// The text of `show access-control`.
enum ACLReport {
    static func etherTypeName(_ type: UInt16) -> String {
        switch type {
        case EtherType.arp: "arp"
        case EtherType.ipv4: "ip"
        case 0x86dd: "ipv6"
        default: String(format: "0x%04x", type)
        }
    }

    static func maskSuffix(_ mask: UInt16) -> String {
        mask == 0xffff ? "" : String(format: " 0x%04x", mask)
    }

    static func lines(acls: [Int: ACLRule], only: Int?, hits: [Int: UInt64], state s: SwitchState) -> [String] {
        var out: [String] = []
        for number in acls.keys.sorted() where only == nil || only == number {
            guard let rule = acls[number] else { continue }
            let ports = (1...s.bridge.portCount).filter { s.bridge[port: $0].acls.contains(number) }
            let profiles = s.virt.profiles.values.filter { $0.acls.contains(number) }.map(\.name).sorted()
            var header = "ACL \(number): " + (rule.action?.rawValue ?? "inactive (no action)")
            if rule.statistics { header += ", \(hits[number] ?? 0) hits" }
            out.append(header)
            let filters = VMreadySwitch.AccessControlCommands.lines(number, rule)
                .map { $0.replacingOccurrences(of: "access-control list \(number) ", with: "") }
                .filter { !$0.hasPrefix("action") && !$0.hasPrefix("statistics") && !$0.hasPrefix("no ") }
            out.append(contentsOf: (filters.isEmpty ? ["any frame"] : filters).map { "    match " + $0 })
            if !ports.isEmpty { out.append("    applied to port " + PortListFormat.string(ports)) }
            if !profiles.isEmpty { out.append("    applied by VM profile " + profiles.joined(separator: ", ")) }
        }
        if out.isEmpty { out.append("No access-control lists are defined") }
        return out
    }
}
