import Frames

/// A configured MAC table entry: never aged, never moved by learning.
public struct StaticMACEntry: Hashable, Sendable {
    /// The station's address (unicast).
    public var mac: MACAddress
    /// The VLAN.
    public var vlan: UInt16
    /// The port, 1-based.
    public var port: Int

    /// Creates a static entry.
    public init(mac: MACAddress, vlan: UInt16, port: Int) {
        self.mac = mac
        self.vlan = vlan
        self.port = port
    }
}
