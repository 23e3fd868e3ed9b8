import Frames

/// A station newly learned, or moved to another port — never sent for a
/// station merely seen again. The VM-awareness layer builds on these.
public struct LearningEvent: Hashable, Sendable {
    /// The station's address.
    public var mac: MACAddress
    /// The VLAN it was learned in.
    public var vlan: UInt16
    /// The port it is now behind, 1-based (behind a vNIC: the vNIC's physical port).
    public var port: Int
    /// The vNIC of `port` it is behind, nil when the port itself.
    public var vnic: Int?
    /// The port it was behind before a move; nil when newly learned.
    public var previousPort: Int?
    /// The vNIC of `previousPort` it was behind, nil when none (or the port itself).
    public var previousVNIC: Int?
    /// The switch time of the frame.
    public var time: Timestamp
    /// The frame that taught it, parsed down to ARP/RARP and IPv4.
    public var frame: ParsedFrame

    /// Creates an event.
    public init(mac: MACAddress, vlan: UInt16, port: Int, vnic: Int? = nil, previousPort: Int?,
                previousVNIC: Int? = nil, time: Timestamp, frame: ParsedFrame) {
        self.mac = mac
        self.vlan = vlan
        self.port = port
        self.vnic = vnic
        self.previousPort = previousPort
        self.previousVNIC = previousVNIC
        self.time = time
        self.frame = frame
    }

    /// Where it is now: "1" or "1.2" (what `show virt vm` prints).
    public var bridgePort: BridgePort { BridgePort(port: port, vnic: vnic) }
    /// Where it was before a move.
    public var previousBridgePort: BridgePort? { previousPort.map { BridgePort(port: $0, vnic: previousVNIC) } }

    /// True for a move (the station was known behind another port).
    public var isMove: Bool { previousPort != nil }
    /// The frame's ARP or RARP body, e.g. a gratuitous ARP or a RARP migration announcement.
    public var arp: ARPPacket? { frame.arp }
}
