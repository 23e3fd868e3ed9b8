import Frames
import SwitchTypes

/// One MAC table entry as a snapshot row (`show mac-address-table`).
public struct MACTableEntry: Hashable, Sendable {
    /// The station's address.
    public var mac: MACAddress
    /// The VLAN it was learned in.
    public var vlan: UInt16
    /// The port it is reached through, 1-based (for a vNIC, the physical port).
    public var port: Int
    /// The vNIC of `port` it is reached through, nil when the port itself.
    public var vnic: Int?
    /// Configured (never aged, never moved) rather than learned.
    public var isStatic: Bool
    /// When the station was last seen (whole seconds; the configuration time for static entries).
    public var lastSeen: Timestamp

    /// Creates an entry.
    public init(mac: MACAddress, vlan: UInt16, port: Int, vnic: Int? = nil, isStatic: Bool, lastSeen: Timestamp) {
        self.mac = mac
        self.vlan = vlan
        self.port = port
        self.vnic = vnic
        self.isStatic = isStatic
        self.lastSeen = lastSeen
    }

    /// "1" or "1.2", as `show mac-address-table` prints it.
    public var bridgePort: BridgePort { BridgePort(port: port, vnic: vnic) }
}
