import Frames

/// Builds Ethernet frames as byte arrays for the dataplane and VM-awareness tests.
public struct FrameBuilder {
    public var destination: MACAddress
    public var source: MACAddress
    /// Outer-to-inner tags as (TPID, TCI).
    public var tags: [(tpid: UInt16, tci: UInt16)] = []
    public var etherType: UInt16 = 0x88b5 // IEEE local experimental: not ARP, not IP
    public var payload: [UInt8] = Array(repeating: 0xab, count: 46)

    public init(destination: MACAddress, source: MACAddress, vlan: UInt16? = nil, priority: UInt8 = 0) {
        self.destination = destination
        self.source = source
        if let vlan { tags = [(EtherType.vlan, VLANTag(vid: vlan, priority: priority).tci)] }
    }

    public var bytes: [UInt8] {
        var bytes = destination.octets + source.octets
        for tag in tags { bytes += be16(tag.tpid) + be16(tag.tci) }
        return bytes + be16(etherType) + payload
    }

    /// An ARP (or, with `reverse`, RARP) frame sent by `senderMAC`.
    public static func arp(operation: UInt16, senderMAC: MACAddress, senderIP: IPv4Address,
                           targetMAC: MACAddress, targetIP: IPv4Address,
                           destination: MACAddress = .broadcast, reverse: Bool = false) -> FrameBuilder {
        var frame = FrameBuilder(destination: destination, source: senderMAC)
        frame.etherType = reverse ? EtherType.rarp : EtherType.arp
        frame.payload = be16(1) + be16(0x0800) + [6, 4] + be16(operation)
            + senderMAC.octets + be32(senderIP.rawValue) + targetMAC.octets + be32(targetIP.rawValue)
        return frame
    }

    /// The RARP vMotion and QEMU broadcast after a migration: opcode 3, sender = target = the VM.
    public static func migrationRARP(_ vm: MACAddress) -> FrameBuilder {
        arp(operation: 3, senderMAC: vm, senderIP: .zero, targetMAC: vm, targetIP: .zero, reverse: true)
    }

    /// A gratuitous ARP request: sender IP = target IP.
    public static func gratuitousARP(_ vm: MACAddress, ip: IPv4Address) -> FrameBuilder {
        arp(operation: 1, senderMAC: vm, senderIP: ip, targetMAC: .zero, targetIP: ip)
    }

    /// A small UDP/IPv4 datagram.
    public static func udp(from source: MACAddress, to destination: MACAddress, sourceIP: IPv4Address,
                           destinationIP: IPv4Address, sourcePort: UInt16 = 4000,
                           destinationPort: UInt16 = 53) -> FrameBuilder {
        var frame = FrameBuilder(destination: destination, source: source)
        frame.etherType = EtherType.ipv4
        let udpPayload: [UInt8] = Array("hello".utf8)
        let total = 20 + 8 + udpPayload.count
        frame.payload = [0x45, 0] + be16(UInt16(total)) + [0, 1, 0x40, 0, 64, 17, 0, 0]
            + be32(sourceIP.rawValue) + be32(destinationIP.rawValue)
            + be16(sourcePort) + be16(destinationPort) + be16(UInt16(8 + udpPayload.count)) + [0, 0] + udpPayload
        return frame
    }
}

public func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
public func be32(_ value: UInt32) -> [UInt8] { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xffff)) }

/// A non-VM station address for tests: 02:00:00:00:hi:lo (locally administered).
public func station(_ number: Int) -> MACAddress { MACAddress(rawValue: 0x0200_0000_0000 | UInt64(number)) }
