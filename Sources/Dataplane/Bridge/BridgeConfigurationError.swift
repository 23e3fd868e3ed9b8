import Frames

/// Why a configuration was refused. A refused configuration changes nothing.
public enum BridgeConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A port number outside 1...N.
    case invalidPort(Int)
    /// A port count outside 1...`BridgeConfiguration.maximumPorts`.
    case invalidPortCount(Int)
    /// A VLAN ID outside 1...4094.
    case invalidVLAN(Int)
    /// The VLAN does not exist.
    case noSuchVLAN(Int)
    /// VLAN 1 is permanent.
    case defaultVLANCannotBeDeleted
    /// A MAC table limit outside `BridgeConfiguration.macLimitRange`.
    case invalidMACLimit(Int)
    /// A negative or too large ageing time.
    case invalidAgeingTime(Int)
    /// Static entries must name a unicast, non-zero address.
    case invalidStaticMAC(MACAddress)
    /// An ACL number outside `ACLRule.numberRange`.
    case invalidACL(Int)
    /// A port or station names an ACL that is not defined.
    case noSuchACL(Int)
    /// A punted EtherType that is a length (below 0x0600) or a VLAN tag's type.
    case invalidPuntEtherType(UInt16)

    public var description: String {
        switch self {
        case .invalidPort(let port): "invalid port \(port)"
        case .invalidPortCount(let count): "invalid port count \(count) (1-\(BridgeConfiguration.maximumPorts))"
        case .invalidVLAN(let vlan): "invalid VLAN \(vlan) (1-4094)"
        case .noSuchVLAN(let vlan): "VLAN \(vlan) does not exist"
        case .defaultVLANCannotBeDeleted: "VLAN 1 cannot be deleted"
        case .invalidMACLimit(let limit):
            "invalid MAC table limit \(limit) (\(BridgeConfiguration.macLimitRange.lowerBound)-\(BridgeConfiguration.macLimitRange.upperBound))"
        case .invalidAgeingTime(let seconds):
            "invalid ageing time \(seconds) (0-\(BridgeConfiguration.maximumAgeingSeconds))"
        case .invalidStaticMAC(let mac): "\(mac) is not a unicast station address"
        case .invalidACL(let number):
            "invalid ACL \(number) (\(ACLRule.numberRange.lowerBound)-\(ACLRule.numberRange.upperBound))"
        case .noSuchACL(let number): "ACL \(number) is not defined"
        case .invalidPuntEtherType(let type):
            "EtherType 0x\(String(type, radix: 16)) cannot be punted (a length or a VLAN tag type)"
        }
    }
}
