import CommandEngine
import Console
import Dataplane
import Foundation
import Frames
import SwitchTypes

/// `show access-control [list N]`: each ACL's action and hits, what it matches, and the
/// ports and VM profiles that apply it.
struct ACLReport: ShowReport {
    struct ACL: Encodable {
        var acl: Int
        /// `permit` or `deny`; absent while the ACL has no action (it is inactive).
        var action: String?
        /// Whether it counts hits (`statistics`); then `hits` is there.
        var statistics: Bool
        var hits: UInt64?
        var match: Match
        var appliedToPorts: [String]
        var appliedByProfiles: [String]
        fileprivate var rule = ACLRule()
        fileprivate var ports: [BridgePort] = []

        enum CodingKeys: String, CodingKey { case acl, action, statistics, hits, match, appliedToPorts, appliedByProfiles }
    }

    /// The filters; a field is absent when the ACL does not filter on it (none: any frame).
    struct Match: Encodable {
        var sourceMAC: Masked<MACAddress>?
        var destinationMAC: Masked<MACAddress>?
        var etherType: Int?
        var sourceIP: Masked<IPv4Address>?
        var destinationIP: Masked<IPv4Address>?
        var ipProtocol: Int?
        var sourcePort: Masked<Int>?
        var destinationPort: Masked<Int>?
    }

    /// A value and the mask of its bits that must match.
    struct Masked<Value: Encodable>: Encodable {
        var value: Value
        var mask: Value
    }

    var acls: [ACL]

    init(acls: [Int: ACLRule], only: Int?, hits: [Int: UInt64], state s: SwitchState) {
        self.acls = acls.sorted { $0.key < $1.key }.filter { only == nil || only == $0.key }.map { number, rule in
            let ports = s.bridgePorts(applying: number)
            let match = Match(sourceMAC: rule.sourceMAC.map { Masked(value: $0.address, mask: $0.mask) },
                              destinationMAC: rule.destinationMAC.map { Masked(value: $0.address, mask: $0.mask) },
                              etherType: rule.etherType.map(Int.init),
                              sourceIP: rule.sourceIP.map { Masked(value: $0.address, mask: $0.mask) },
                              destinationIP: rule.destinationIP.map { Masked(value: $0.address, mask: $0.mask) },
                              ipProtocol: rule.ipProtocol.map(Int.init),
                              sourcePort: rule.sourcePort.map { Masked(value: Int($0.port), mask: Int($0.mask)) },
                              destinationPort: rule.destinationPort.map { Masked(value: Int($0.port), mask: Int($0.mask)) })
            return ACL(acl: number, action: rule.action?.rawValue, statistics: rule.statistics,
                       hits: rule.statistics ? hits[number] ?? 0 : nil, match: match, appliedToPorts: ports.map(\.description),
                       appliedByProfiles: s.virt.profiles.values.filter { $0.acls.contains(number) }.map(\.name).sorted(),
                       rule: rule, ports: ports)
        }
    }

    var lines: [String] {
        var out: [String] = []
        for acl in acls {
            var header = "ACL \(acl.acl): " + (acl.action ?? "inactive (no action)")
            if let hits = acl.hits { header += ", \(hits) hits" }
            out.append(header)
            let filters = AccessControlCommands.lines(acl.acl, acl.rule)
                .map { $0.replacingOccurrences(of: "access-control list \(acl.acl) ", with: "") }
                .filter { !$0.hasPrefix("action") && !$0.hasPrefix("statistics") && !$0.hasPrefix("no ") }
            out.append(contentsOf: (filters.isEmpty ? ["any frame"] : filters).map { "    match " + $0 })
            if !acl.ports.isEmpty { out.append("    applied to port " + BridgePortListFormat.string(acl.ports)) }
            if !acl.appliedByProfiles.isEmpty { out.append("    applied by VM profile " + acl.appliedByProfiles.joined(separator: ", ")) }
        }
        if out.isEmpty { out.append("No access-control lists are defined") }
        return out
    }

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
}
