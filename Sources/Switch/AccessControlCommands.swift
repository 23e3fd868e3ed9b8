import CommandEngine
import Console
import Dataplane
import SwitchTypes
import Foundation
import Frames
import RunningConfig

/// `access-control list N ...` (one ACL = one rule), applying ACLs to ports, and
/// `show access-control`.
enum AccessControlCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.aclSourceMAC) { args, _ throws(CommandFailure) in
            try edit(sw, args.acl) { $0.sourceMAC = MACMatch(address: args.mac, mask: args.mask) }
        }
        t.on(.aclDestinationMAC) { args, _ throws(CommandFailure) in
            try edit(sw, args.acl) { $0.destinationMAC = MACMatch(address: args.mac, mask: args.mask) }
        }
        t.on(.aclEthertype) { args, _ throws(CommandFailure) in
            let type: UInt16
            switch args.type {
            case .arp?: type = EtherType.arp
            case .ip?: type = EtherType.ipv4
            case .ipv6?: type = 0x86dd
            case nil:
                let text = (args.hex ?? "").lowercased()
                guard text.hasPrefix("0x"), (3...6).contains(text.count), let value = UInt16(text.dropFirst(2), radix: 16),
                      value >= 0x0600 else {
                    throw CommandFailure("EtherType must be arp, ip, ipv6 or 0x0600-0xffff in hex, e.g. 0x8035")
                }
                type = value
            }
            try edit(sw, args.acl) { $0.etherType = type }
        }
        t.on(.aclSourceIP) { args, _ throws(CommandFailure) in
            try edit(sw, args.acl) { $0.sourceIP = IPv4Match(address: args.ip, mask: args.mask) }
        }
        t.on(.aclDestinationIP) { args, _ throws(CommandFailure) in
            try edit(sw, args.acl) { $0.destinationIP = IPv4Match(address: args.ip, mask: args.mask) }
        }
        t.on(.aclProtocol) { args, _ throws(CommandFailure) in
            let proto = UInt8(args.protocol)
            try edit(sw, args.acl) { $0.ipProtocol = proto }
        }
        t.on(.aclL4Port) { args, _ throws(CommandFailure) in
            let port = UInt16(args.number)
            var mask: UInt16 = 0xffff
            if let text = args.portmask?.lowercased() {
                let value = text.hasPrefix("0x") ? UInt16(text.dropFirst(2), radix: 16) : UInt16(text)
                guard let value, value != 0 else {
                    throw CommandFailure("Port mask must be 1-65535 or 0x1-0xffff, e.g. 0xfff0")
                }
                mask = value
            }
            let match = L4PortMatch(port: port, mask: mask)
            let source = args.which == .sourcePort
            try edit(sw, args.acl) { rule in
                if source { rule.sourcePort = match } else { rule.destinationPort = match }
            }
        }
        t.on(.aclAction) { args, _ throws(CommandFailure) in
            let action: ACLAction = switch args.action {
            case .permit: .permit
            case .deny: .deny
            }
            try edit(sw, args.acl) { $0.action = action }
        }
        t.on(.aclStatistics) { args, _ throws(CommandFailure) in
            try edit(sw, args.acl) { $0.statistics = true }
        }
        t.on(.aclClear) { args, _ throws(CommandFailure) in
            let field = args.field
            try edit(sw, args.acl, create: false) { rule in
                switch field {
                case .sourceMACAddress: rule.sourceMAC = nil
                case .destinationMACAddress: rule.destinationMAC = nil
                case .ethernetType: rule.etherType = nil
                case .sourceIPAddress: rule.sourceIP = nil
                case .destinationIPAddress: rule.destinationIP = nil
                case .protocol: rule.ipProtocol = nil
                case .sourcePort: rule.sourcePort = nil
                case .destinationPort: rule.destinationPort = nil
                case .action: rule.action = nil
                case .statistics: rule.statistics = false
                }
            }
        }
        t.on(.aclDelete) { args, _ throws(CommandFailure) in
            let number = args.acl
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.deleteACL(number) }
        }
        t.on(.interfaceACL) { args, _ throws(CommandFailure) in
            let number = args.acl
            try updatePorts(sw, args.ports) { s, port throws(CommandFailure) in try s.applyACL(number, toPort: port) }
        }
        t.on(.interfaceACLRemove) { args, _ throws(CommandFailure) in
            let number = args.acl
            try updatePorts(sw, args.ports) { s, port throws(CommandFailure) in try s.removeACL(number, fromPort: port) }
        }
        t.on(.showACL) { args, ctx throws(CommandFailure) in
            let only = args.acl
            let (acls, s) = sw.state.withLock { ($0.bridge.acls, $0) }
            if let only, acls[only] == nil { throw CommandFailure("ACL \(only) is not defined") }
            let hits = sw.dataplane.aclHits()
            ctx.show(ACLReport(acls: acls, only: only, hits: hits, state: s))
        }
        t.on(.clearACL) { _, _ in sw.dataplane.clearACLStatistics() }
    }

    /// Edits ACL N, creating it unless `create` is false.
    private static func edit(_ sw: VMreadySwitch, _ number: Int, create: Bool = true,
                             _ change: @escaping (inout ACLRule) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            guard var rule = s.bridge.acls[number] ?? (create ? ACLRule() : nil) else {
                throw CommandFailure("ACL \(number) is not defined")
            }
            change(&rule)
            // An ACL is its filters and action: one left with nothing set has no way to be
            // written in the configuration, so it goes, unless something still applies it.
            if rule == ACLRule() {
                guard !s.virt.aclsInUse.contains(number),
                      s.bridgePorts(applying: number).isEmpty else {
                    throw CommandFailure("ACL \(number) would be left empty while in use; remove it from its ports and profiles first")
                }
                s.bridge.acls[number] = nil
            } else {
                s.bridge.acls[number] = rule
            }
        }
    }

    private static func updatePorts(_ sw: VMreadySwitch, _ ports: [BridgePort],
                                    _ change: (inout SwitchState, BridgePort) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            for p in ports { try s.requireBridgePort(p); try change(&s, p) }
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
