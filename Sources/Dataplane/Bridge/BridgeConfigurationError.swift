import Frames
import SwitchTypes

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
    /// A port speed outside `BridgeConfiguration.speedRange`.
    case invalidPortSpeed(port: Int, speed: Int)
    /// A vNIC index outside 1-4.
    case invalidVNICIndex(BridgePort)
    /// A vNIC's S-VID outside 1-4094.
    case invalidSVID(BridgePort, Int)
    /// Two vNICs of one port with the same S-VID.
    case duplicateSVID(port: Int, svid: Int)
    /// A vNIC bandwidth outside 1-100 %.
    case invalidVNICBandwidth(BridgePort, Int)
    /// The enabled vNICs of a port add up to more than 100 % of its speed.
    case vnicBandwidthExceeded(port: Int, percent: Int)
    /// An io-extender upstream that is not a port, is the port itself, or has vNICs.
    case invalidUpstream(port: Int, upstream: Int)
    /// Two io-extender ports of one upstream with the same S-VID: it could not tell them apart.
    case sharedUpstreamSVID(upstream: Int, svid: Int)
    /// Physical ports and vNICs together beyond `BridgeConfiguration.maximumPorts`.
    case tooManyBridgePorts(Int)
    /// A vNIC group number outside 1-32.
    case invalidVNICGroup(Int)
    /// A group member that is not a configured vNIC.
    case noSuchVNIC(BridgePort)
    /// A vNIC in two groups.
    case vnicInTwoGroups(BridgePort, first: Int, second: Int)
    /// A group member on a port in io-extender mode, where nothing is switched.
    case groupMemberNotInSwitchMode(BridgePort)
    /// A group's VLAN used by something else (a port, a vNIC, another group): it is reserved.
    case groupVLANInUse(group: Int, vlan: Int, by: String)
    /// A group uplink that is not a port, has vNICs, is an io-extender upstream or another group's uplink.
    case invalidGroupUplink(group: Int, port: Int)

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
        case .invalidPortSpeed(let port, let speed):
            "invalid speed \(speed) on port \(port) (\(BridgeConfiguration.speedRange.lowerBound)-\(BridgeConfiguration.speedRange.upperBound) Mbit/s)"
        case .invalidVNICIndex(let vnic): "invalid vNIC \(vnic) (index 1-4)"
        case .invalidSVID(let vnic, let svid): "invalid S-VID \(svid) for vNIC \(vnic) (1-4094)"
        case .duplicateSVID(let port, let svid): "S-VID \(svid) is used by two vNICs of port \(port)"
        case .invalidVNICBandwidth(let vnic, let percent): "invalid bandwidth \(percent) for vNIC \(vnic) (1-100)"
        case .vnicBandwidthExceeded(let port, let percent):
            "the enabled vNICs of port \(port) total \(percent)% of its speed (at most 100)"
        case .invalidUpstream(let port, let upstream):
            "port \(upstream) cannot be the io-extender upstream of port \(port) (the port itself, or a vNIC port)"
        case .sharedUpstreamSVID(let upstream, let svid):
            "S-VID \(svid) is used by two io-extender ports of upstream port \(upstream)"
        case .tooManyBridgePorts(let count):
            "\(count) ports and vNICs (at most \(BridgeConfiguration.maximumPorts))"
        case .invalidVNICGroup(let number): "invalid vNIC group \(number) (1-32)"
        case .noSuchVNIC(let vnic): "vNIC \(vnic) is not configured"
        case .vnicInTwoGroups(let vnic, let first, let second): "vNIC \(vnic) is in vnicgroups \(first) and \(second)"
        case .groupMemberNotInSwitchMode(let vnic): "vNIC \(vnic) is on a port in io-extender mode"
        case .groupVLANInUse(let group, let vlan, let user):
            "VLAN \(vlan) is reserved for vnicgroup \(group) but used by \(user)"
        case .invalidGroupUplink(let group, let port):
            "port \(port) cannot be the uplink of vnicgroup \(group) (a vNIC port, an io-extender upstream or another group's uplink)"
        }
    }
}
