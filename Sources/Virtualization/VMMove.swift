import Frames
import SwitchTypes

/// One migration of a VM from one port to another.
public struct VMMove: Hashable, Sendable {
    /// The VM that moved.
    public var mac: MACAddress
    /// The VLAN the move was seen in.
    public var vlan: UInt16
    /// The port it left, 1-based.
    public var fromPort: Int
    /// The port it is now behind, 1-based.
    public var toPort: Int
    /// Switch time of the frame that revealed the move.
    public var time: Timestamp
    /// How the move was announced.
    public var how: MoveAnnouncement
    /// The vNICs (NIC partitions) of `fromPort` and `toPort` it left and reached; nil for
    /// the physical port itself. A move between two vNICs of one port is a move.
    public var fromVNIC: Int?
    public var toVNIC: Int?

    /// Creates a move record.
    public init(mac: MACAddress, vlan: UInt16, fromPort: Int, toPort: Int, time: Timestamp, how: MoveAnnouncement,
                fromVNIC: Int? = nil, toVNIC: Int? = nil) {
        self.mac = mac
        self.vlan = vlan
        self.fromPort = fromPort
        self.toPort = toPort
        self.time = time
        self.how = how
        self.fromVNIC = fromVNIC
        self.toVNIC = toVNIC
    }

    /// Where it was: "1" or "1.2".
    public var from: BridgePort { BridgePort(port: fromPort, vnic: fromVNIC) }
    /// Where it is: "2" or "2.1".
    public var to: BridgePort { BridgePort(port: toPort, vnic: toVNIC) }
}
