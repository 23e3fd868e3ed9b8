import Frames
import SwitchTypes

/// One MAC table entry as a snapshot row (`show mac-address-table`).
public struct MACTableEntry: Hashable, Sendable {
    /// The station's address.
    public var mac: MACAddress
    /// The VLAN it was learned in.
    public var vlan: UInt16
    /// The port it is reached through, 1-based.
    public var port: Int
    /// Configured (never aged, never moved) rather than learned.
    public var isStatic: Bool
    /// When the station was last seen (whole seconds; the configuration time for static entries).
    public var lastSeen: Timestamp

    /// Creates an entry.
    public init(mac: MACAddress, vlan: UInt16, port: Int, isStatic: Bool, lastSeen: Timestamp) {
        self.mac = mac
        self.vlan = vlan
        self.port = port
        self.isStatic = isStatic
        self.lastSeen = lastSeen
    }
}
