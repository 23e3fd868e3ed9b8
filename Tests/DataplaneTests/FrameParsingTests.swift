import Frames
import Testing
@testable import Dataplane
import FrameTestSupport

@Suite struct FrameParsingTests {
    @Test func macAddressFormsRoundTrip() throws {
        let mac = try #require(MACAddress("00:50:56:9C:00:c8"))
        #expect(mac.description == "00:50:56:9c:00:c8")
        #expect(MACAddress("00-50-56-9c-00-c8") == mac)
        #expect(MACAddress("0050.569c.00c8") == mac)
        #expect(mac.oui == 0x005056)
        #expect(mac.octets == [0x00, 0x50, 0x56, 0x9c, 0x00, 0xc8])
        for bad in ["", "00:50:56:9c:00", "00:50:56:9c:00:c8:01", "0g:50:56:9c:00:c8", "0050.569c.00c", "00:50-56:9c:00:c8"] {
            #expect(MACAddress(bad) == nil, "\(bad)")
        }
        #expect(MACAddress.broadcast.isMulticast && MACAddress.broadcast.isBroadcast)
        #expect(MACAddress("01:80:c2:00:00:0e")?.isLinkLocalReserved == true)
        #expect(MACAddress("01:80:c2:00:00:10")?.isLinkLocalReserved == false)
        #expect(!mac.isMulticast)
    }

    @Test func ipv4AddressParsing() {
        #expect(IPv4Address("198.18.0.1")?.description == "198.18.0.1")
        #expect(IPv4Address("198.18.0") == nil)
        #expect(IPv4Address("198.18.0.256") == nil)
        #expect(IPv4Address("1.2.3.+4") == nil)
    }

    @Test func untaggedFrame() throws {
        let bytes = FrameBuilder(destination: station(2), source: station(1)).bytes
        let frame = try bytes.withUnsafeBytes { try ParsedFrame(parsing: $0) }
        #expect(frame.destination == station(2))
        #expect(frame.source == station(1))
        #expect(frame.customerTag == nil && frame.serviceTag == nil)
        #expect(frame.etherType == 0x88b5)
        #expect(frame.payloadOffset == 14)
        #expect(frame.length == 60)
    }

    @Test func customerAndServiceTags() throws {
        var builder = FrameBuilder(destination: .broadcast, source: station(1))
        builder.tags = [(EtherType.serviceVLAN, VLANTag(vid: 3).tci), (EtherType.vlan, VLANTag(vid: 100, priority: 5).tci)]
        let frame = try builder.bytes.withUnsafeBytes { try ParsedFrame(parsing: $0) }
        #expect(frame.serviceTag?.vid == 3)
        #expect(frame.customerTag?.vid == 100)
        #expect(frame.customerTag?.priority == 5)
        #expect(frame.outerCustomerTag == nil)
        #expect(frame.payloadOffset == 22)

        let tagged = FrameBuilder(destination: .broadcast, source: station(1), vlan: 42)
        let parsed = try tagged.bytes.withUnsafeBytes { try ParsedFrame(parsing: $0) }
        #expect(parsed.outerCustomerTag?.vid == 42)
        #expect(parsed.payloadOffset == 18)
    }

    @Test func arpAndRarp() throws {
        let vm = try #require(MACAddress("00:50:56:9c:00:c8"))
        let ip = try #require(IPv4Address("198.18.46.25"))
        let garp = FrameBuilder.arp(operation: 1, senderMAC: vm, senderIP: ip, targetMAC: .zero, targetIP: ip)
        let arp = try #require(try garp.bytes.withUnsafeBytes { try ParsedFrame(parsing: $0) }.arp)
        #expect(arp.operation == 1 && arp.senderMAC == vm && arp.senderIP == ip && arp.targetIP == ip)
        #expect(arp.isGratuitous && !arp.isReverse && !arp.isMigrationAnnouncement)

        let rarp = FrameBuilder.arp(operation: 3, senderMAC: vm, senderIP: .zero, targetMAC: vm, targetIP: .zero,
                                    reverse: true)
        let reverse = try #require(try rarp.bytes.withUnsafeBytes { try ParsedFrame(parsing: $0) }.arp)
        #expect(reverse.isReverse && reverse.isMigrationAnnouncement && !reverse.isGratuitous)

        // A cut ARP body is still an Ethernet frame, just without ARP fields.
        let cut = Array(garp.bytes.prefix(14 + 20))
        let frame = try cut.withUnsafeBytes { try ParsedFrame(parsing: $0) }
        #expect(frame.arp == nil && frame.etherType == EtherType.arp)
    }

    @Test func ipv4HeaderAndPorts() throws {
        let builder = FrameBuilder.udp(from: station(1), to: station(2), sourceIP: IPv4Address(198, 18, 0, 1),
                                       destinationIP: IPv4Address(198, 18, 0, 2), sourcePort: 5000, destinationPort: 53)
        let ip = try #require(try builder.bytes.withUnsafeBytes { try ParsedFrame(parsing: $0) }.ipv4)
        #expect(ip.source == IPv4Address(198, 18, 0, 1) && ip.destination == IPv4Address(198, 18, 0, 2))
        #expect(ip.protocolNumber == 17 && ip.headerLength == 20)
        #expect(ip.sourcePort == 5000 && ip.destinationPort == 53)
    }

    @Test func truncatedHeadersThrow() {
        let tagged = FrameBuilder(destination: .broadcast, source: station(1), vlan: 5).bytes
        #expect(throws: FrameError.tooShort) { try Array(tagged.prefix(13)).withUnsafeBytes { try ParsedFrame(parsing: $0) } }
        #expect(throws: FrameError.truncatedTag) { try Array(tagged.prefix(16)).withUnsafeBytes { try ParsedFrame(parsing: $0) } }
        let header = try? Array(tagged.prefix(18)).withUnsafeBytes { try ParsedFrame(parsing: $0) }
        #expect(header?.customerTag?.vid == 5)
    }
}
