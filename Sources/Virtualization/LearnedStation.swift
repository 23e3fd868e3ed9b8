import Frames
import SwitchTypes

/// A station the switch newly learned, or saw move to another port: what the VM
/// layer is told by the forwarding path (through an adapter in the composition
/// root, so this layer needs nothing of the forwarding engine). Never one per frame.
public struct LearnedStation: Hashable, Sendable {
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

    /// Creates the record of one station learned or moved.
    public init(mac: MACAddress, vlan: UInt16, port: Int, previousPort: Int?, time: Timestamp, frame: ParsedFrame) {
        self.mac = mac
        self.vlan = vlan
        self.port = port
        self.previousPort = previousPort
        self.time = time
        self.frame = frame
    }

    /// The frame's ARP or RARP body, e.g. a gratuitous ARP or a RARP migration announcement.
    public var arp: ARPPacket? { frame.arp }
}
