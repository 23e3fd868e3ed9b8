/// The fields of an Ethernet/IPv4 ARP or RARP packet.
public struct ARPPacket: Hashable, Sendable {
    /// Operation: 1 request, 2 reply, 3 RARP request, 4 RARP reply.
    public var operation: UInt16
    /// True when the frame's EtherType was RARP (0x8035) rather than ARP.
    public var isReverse: Bool
    /// Sender hardware address.
    public var senderMAC: MACAddress
    /// Sender protocol address.
    public var senderIP: IPv4Address
    /// Target hardware address.
    public var targetMAC: MACAddress
    /// Target protocol address.
    public var targetIP: IPv4Address

    /// Creates an ARP packet summary.
    public init(operation: UInt16, isReverse: Bool, senderMAC: MACAddress, senderIP: IPv4Address,
                targetMAC: MACAddress, targetIP: IPv4Address) {
        self.operation = operation
        self.isReverse = isReverse
        self.senderMAC = senderMAC
        self.senderIP = senderIP
        self.targetMAC = targetMAC
        self.targetIP = targetIP
    }

    /// A gratuitous ARP announces its own address: sender IP equals target IP.
    public var isGratuitous: Bool { !isReverse && senderIP == targetIP && senderIP != .zero }

    /// The RARP announcement hypervisors send after a migration (vMotion, QEMU):
    /// a RARP request whose sender and target hardware addresses are the VM's.
    public var isMigrationAnnouncement: Bool { isReverse && operation == 3 && senderMAC == targetMAC }

    /// Length of an Ethernet/IPv4 ARP body.
    public static let length = 28

    /// Parses the body at `offset`; nil when short or not Ethernet/IPv4.
    public init?(parsing buffer: UnsafeRawBufferPointer, atOffset offset: Int, isReverse: Bool) {
        guard buffer.count - offset >= ARPPacket.length,
              buffer.loadBigEndianUInt16(at: offset) == 1,              // hardware type Ethernet
              buffer.loadBigEndianUInt16(at: offset + 2) == EtherType.ipv4,
              buffer[offset + 4] == 6, buffer[offset + 5] == 4 else { return nil }
        self.operation = buffer.loadBigEndianUInt16(at: offset + 6)
        self.isReverse = isReverse
        self.senderMAC = MACAddress(loadingFrom: buffer, atOffset: offset + 8)
        self.senderIP = IPv4Address(rawValue: buffer.loadBigEndianUInt32(at: offset + 14))
        self.targetMAC = MACAddress(loadingFrom: buffer, atOffset: offset + 18)
        self.targetIP = IPv4Address(rawValue: buffer.loadBigEndianUInt32(at: offset + 24))
    }
}
