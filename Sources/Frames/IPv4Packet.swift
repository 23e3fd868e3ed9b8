/// The fields of an IPv4 header the switch looks at, and the TCP/UDP ports.
public struct IPv4Packet: Hashable, Sendable {
    /// Source address.
    public var source: IPv4Address
    /// Destination address.
    public var destination: IPv4Address
    /// IP protocol number (6 TCP, 17 UDP, ...).
    public var protocolNumber: UInt8
    /// Header length in bytes (IHL × 4).
    public var headerLength: Int
    /// TCP/UDP source port, when the packet is TCP or UDP, not a later fragment,
    /// and the port fields are present.
    public var sourcePort: UInt16?
    /// TCP/UDP destination port, under the same conditions.
    public var destinationPort: UInt16?

    /// Parses the header at `offset`; nil when short or not a valid IPv4 header.
    public init?(parsing buffer: UnsafeRawBufferPointer, atOffset offset: Int) {
        guard buffer.count - offset >= 20 else { return nil }
        let versionAndLength = buffer[offset]
        let headerLength = Int(versionAndLength & 0xf) * 4
        guard versionAndLength >> 4 == 4, headerLength >= 20,
              buffer.count - offset >= headerLength else { return nil }
        self.headerLength = headerLength
        self.protocolNumber = buffer[offset + 9]
        self.source = IPv4Address(rawValue: buffer.loadBigEndianUInt32(at: offset + 12))
        self.destination = IPv4Address(rawValue: buffer.loadBigEndianUInt32(at: offset + 16))
        let fragmentOffset = buffer.loadBigEndianUInt16(at: offset + 6) & 0x1fff
        let l4 = offset + headerLength
        // Only the first fragment carries the ports.
        if fragmentOffset == 0, protocolNumber == 6 || protocolNumber == 17, buffer.count - l4 >= 4 {
            self.sourcePort = buffer.loadBigEndianUInt16(at: l4)
            self.destinationPort = buffer.loadBigEndianUInt16(at: l4 + 2)
        } else {
            self.sourcePort = nil
            self.destinationPort = nil
        }
    }
}
