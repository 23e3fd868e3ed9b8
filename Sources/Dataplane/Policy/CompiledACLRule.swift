import Frames

/// An `ACLRule` flattened for the forwarding path: every filter is a value and a
/// mask, an absent MAC or IP filter a zero mask (matches anything), so the MAC
/// checks need no branch per filter; `layers` says which parsed fields the rule
/// needs at all, so L3 and L4 are parsed only for rules that look at them.
struct CompiledACLRule {
    /// Bits of `layers`.
    static let needsEtherType: UInt8 = 1
    static let needsIPv4: UInt8 = 2
    static let needsPorts: UInt8 = 4

    var sourceMAC: UInt64 = 0
    var sourceMACMask: UInt64 = 0
    var destinationMAC: UInt64 = 0
    var destinationMACMask: UInt64 = 0
    var sourceIP: UInt32 = 0
    var sourceIPMask: UInt32 = 0
    var destinationIP: UInt32 = 0
    var destinationIPMask: UInt32 = 0
    var etherType: UInt16 = 0
    var sourcePort: UInt16 = 0
    var sourcePortMask: UInt16 = 0
    var destinationPort: UInt16 = 0
    var destinationPortMask: UInt16 = 0
    var ipProtocol: UInt8 = 0
    var ipProtocolMask: UInt8 = 0
    var layers: UInt8 = 0
    var deny = false
    var statistics = false

    /// An inactive placeholder (never evaluated: lists hold active rules only).
    init() {}

    init(_ rule: ACLRule) {
        if let match = rule.sourceMAC {
            sourceMACMask = match.mask.rawValue
            sourceMAC = match.address.rawValue & sourceMACMask
        }
        if let match = rule.destinationMAC {
            destinationMACMask = match.mask.rawValue
            destinationMAC = match.address.rawValue & destinationMACMask
        }
        if let type = rule.etherType {
            etherType = type
            layers |= CompiledACLRule.needsEtherType
        }
        if let match = rule.sourceIP {
            sourceIPMask = match.mask.rawValue
            sourceIP = match.address.rawValue & sourceIPMask
            layers |= CompiledACLRule.needsIPv4
        }
        if let match = rule.destinationIP {
            destinationIPMask = match.mask.rawValue
            destinationIP = match.address.rawValue & destinationIPMask
            layers |= CompiledACLRule.needsIPv4
        }
        if let number = rule.ipProtocol {
            ipProtocol = number
            ipProtocolMask = 0xff
            layers |= CompiledACLRule.needsIPv4
        }
        if let match = rule.sourcePort {
            sourcePortMask = match.mask
            sourcePort = match.port & match.mask
            layers |= CompiledACLRule.needsIPv4 | CompiledACLRule.needsPorts
        }
        if let match = rule.destinationPort {
            destinationPortMask = match.mask
            destinationPort = match.port & match.mask
            layers |= CompiledACLRule.needsIPv4 | CompiledACLRule.needsPorts
        }
        deny = rule.action == .deny
        statistics = rule.statistics
    }

    /// True when the rule's only filter is an EtherType (see `PortACLSummary`).
    var filtersOnEtherTypeAlone: Bool {
        layers == CompiledACLRule.needsEtherType && sourceMACMask == 0 && destinationMACMask == 0
    }

    /// True when the rule filters on IPv4 or TCP/UDP fields.
    @inline(__always) var needsNetworkLayer: Bool { layers & CompiledACLRule.needsIPv4 != 0 }

    /// True when the rule's link-layer filters (addresses, EtherType) match: all
    /// of its filters when it has no network-layer ones.
    @inline(__always)
    func matchesLinkLayer(_ fields: ACLFrameFields) -> Bool {
        (fields.source ^ sourceMAC) & sourceMACMask == 0
            && (fields.destination ^ destinationMAC) & destinationMACMask == 0
            && (layers & CompiledACLRule.needsEtherType == 0 || fields.etherType == etherType)
    }

    /// True when the rule's IPv4 and TCP/UDP filters match (its link-layer ones aside).
    func matchesNetworkLayer(_ fields: ACLFrameFields, _ network: inout ACLNetworkFields) -> Bool {
        guard let ip = network.ipv4(of: fields),
              (ip.source.rawValue ^ sourceIP) & sourceIPMask == 0,
              (ip.destination.rawValue ^ destinationIP) & destinationIPMask == 0,
              (ip.protocolNumber ^ ipProtocol) & ipProtocolMask == 0 else { return false }
        guard layers & CompiledACLRule.needsPorts != 0 else { return true }
        guard let ports = network.ports(of: fields) else { return false }
        return (ports.source ^ sourcePort) & sourcePortMask == 0
            && (ports.destination ^ destinationPort) & destinationPortMask == 0
    }
}
