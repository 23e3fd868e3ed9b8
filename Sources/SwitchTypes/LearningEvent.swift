import Frames

/// A station newly learned, or moved to another port — never sent for a
/// station merely seen again. The VM-awareness layer builds on these.
public struct LearningEvent: Hashable, Sendable {
    /// The station's address.
    public var mac: MACAddress
    /// The VLAN it was learned in.
    public var vlan: UInt16
    /// The port it is now behind, 1-based.
    public var port: Int
    /// The port it was behind before a move; nil when newly learned.
    public var previousPort: Int?
    /// The switch time of the frame.
    public var time: Timestamp
    /// The frame that taught it, parsed down to ARP/RARP and IPv4.
    public var frame: ParsedFrame

    /// Creates an event.
    public init(mac: MACAddress, vlan: UInt16, port: Int, previousPort: Int?, time: Timestamp, frame: ParsedFrame) {
        self.mac = mac
        self.vlan = vlan
        self.port = port
        self.previousPort = previousPort
        self.time = time
        self.frame = frame
    }

    /// True for a move (the station was known behind another port).
    public var isMove: Bool { previousPort != nil }
    /// The frame's ARP or RARP body, e.g. a gratuitous ARP or a RARP migration announcement.
    public var arp: ARPPacket? { frame.arp }
}
