import Frames

/// One access-control list in the isCLI style: one ACL is one rule. Every
/// filter that is set must match the frame for the rule to match; then its
/// action applies. A rule with no action set is inactive (matches nothing),
/// so a half-written ACL never drops traffic by accident.
public struct ACLRule: Hashable, Sendable {
    /// ACL numbers the CLI accepts.
    public static let numberRange = 1...256
    /// Numbers the switch keeps for rules it manages itself (the VM check's `acl` action
    /// blocking a spoofed MAC on one port): never the operator's, never in the running-config.
    public static let managedRange = 257...512
    /// Every number a configuration may hold.
    public static let allNumbers = numberRange.lowerBound...managedRange.upperBound

    public var sourceMAC: MACMatch?
    public var destinationMAC: MACMatch?
    /// The frame's EtherType after any VLAN tags (0x0806 ARP, 0x0800 IPv4, 0x86dd IPv6, ...).
    public var etherType: UInt16?
    public var sourceIP: IPv4Match?
    public var destinationIP: IPv4Match?
    /// IPv4 protocol number (6 TCP, 17 UDP, ...).
    public var ipProtocol: UInt8?
    /// TCP or UDP source port (implies an unfragmented TCP/UDP IPv4 packet).
    public var sourcePort: L4PortMatch?
    /// TCP or UDP destination port (implies an unfragmented TCP/UDP IPv4 packet).
    public var destinationPort: L4PortMatch?
    /// What a match does; nil = not yet set, the rule is inactive.
    public var action: ACLAction?
    /// Count the frames the rule matches (`statistics`).
    public var statistics = false

    /// An empty, inactive rule.
    public init() {}

    /// True when the rule has an action and so takes part in filtering.
    public var isActive: Bool { action != nil }
}

/// What a matching ACL does to the frame.
public enum ACLAction: String, Hashable, Sendable, CaseIterable {
    case permit
    case deny
}

/// A MAC address filter: the frame's address ANDed with `mask` equals `address` ANDed with `mask`.
public struct MACMatch: Hashable, Sendable {
    public var address: MACAddress
    public var mask: MACAddress

    public init(address: MACAddress, mask: MACAddress = .broadcast) {
        self.address = address
        self.mask = mask
    }
}

/// An IPv4 address filter with a mask (`A.B.C.D MASK`, mask in dotted form).
public struct IPv4Match: Hashable, Sendable {
    public var address: IPv4Address
    public var mask: IPv4Address

    public init(address: IPv4Address, mask: IPv4Address = IPv4Address(rawValue: .max)) {
        self.address = address
        self.mask = mask
    }
}

/// A TCP/UDP port filter with an optional mask (default: exact port).
public struct L4PortMatch: Hashable, Sendable {
    public var port: UInt16
    public var mask: UInt16

    public init(port: UInt16, mask: UInt16 = 0xffff) {
        self.port = port
        self.mask = mask
    }
}
