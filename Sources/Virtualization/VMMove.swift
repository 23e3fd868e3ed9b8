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

    /// Creates a move record.
    public init(mac: MACAddress, vlan: UInt16, fromPort: Int, toPort: Int, time: Timestamp, how: MoveAnnouncement) {
        self.mac = mac
        self.vlan = vlan
        self.fromPort = fromPort
        self.toPort = toPort
        self.time = time
        self.how = how
    }
}
