import Foundation
import Frames
import Testing

/// LLDPDUs lldpd sent (Corpus/README.md says how they were made): decoded to the values its
/// configuration holds, and re-encoded byte for byte.
@Suite struct LLDPDUCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Corpus")
    static let peerMAC = MACAddress(0x02, 0x00, 0x00, 0x00, 0xc0, 0x01)

    /// The frames of a classic little-endian pcap file.
    static func frames(_ name: String) throws -> [[UInt8]] {
        let bytes = [UInt8](try Data(contentsOf: corpus.appending(path: name)))
        func le32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        try #require(bytes.count >= 24 && le32(0) == 0xa1b2_c3d4 && le32(20) == 1, "an Ethernet pcap")
        var frames: [[UInt8]] = []
        var offset = 24
        while offset + 16 <= bytes.count {
            let length = le32(offset + 8)
            try #require(offset + 16 + length <= bytes.count, "record \(frames.count + 1) complete")
            frames.append(Array(bytes[(offset + 16)..<(offset + 16 + length)]))
            offset += 16 + length
        }
        return frames
    }

    /// The frame's Ethernet header checked, its TLV area decoded.
    static func lldpdu(_ frame: [UInt8]) throws -> LLDPDU {
        try #require(frame.count > 14)
        #expect(Array(frame[0..<14]) == MACAddress.lldpNearestBridge.octets + peerMAC.octets + [0x88, 0xcc])
        return try LLDPDU(decoding: Array(frame[14...]))
    }

    @Test func lldpdsLLDPDUsDecodeAndReencodeByteForByte() throws {
        let frames = try Self.frames("lldpd-1.0.16.pcap")
        try #require(frames.count == 4)
        for frame in frames {
            let lldpdu = try Self.lldpdu(frame)
            #expect(lldpdu.chassisID == .macAddress(Self.peerMAC))
            #expect(lldpdu.portID == .interfaceName("eth0"))
            // veth frames are not padded: the TLV area is the rest of the frame.
            #expect(try lldpdu.encode() == Array(frame[14...]))
            // The shutdown frame is 36 octets on the veth; ours is padded to Ethernet's 60.
            #expect(try lldpdu.frame(source: Self.peerMAC) == frame + [UInt8](repeating: 0, count: max(0, 60 - frame.count)))
        }

        let first = try Self.lldpdu(frames[0])
        // tx-interval 1 s x lldpd's hold multiplier 4.
        #expect(first.timeToLive == 4)
        #expect(first.systemName == "hv1.lab")
        #expect(first.systemDescription == "Debian hypervisor hv1")
        #expect(first.portDescription == "uplink to switch port 3")
        let capabilities = first.tlvs.compactMap { if case .systemCapabilities(let c) = $0 { c } else { nil } }
        #expect(capabilities == [LLDPSystemCapabilities(supported: [.bridge, .wlanAccessPoint, .router, .stationOnly],
                                                        enabled: .stationOnly)])
        let management = first.tlvs.compactMap { if case .managementAddress(let m) = $0 { m } else { nil } }
        #expect(management.map(\.address) == [.ipv4(IPv4Address(198, 18, 200, 2))])
        #expect(management.map(\.interfaceNumbering) == [LLDPManagementAddress.InterfaceNumbering.ifIndex])

        let organizational = first.organizationalTLVs
        // 802.3 (00-12-0F) link aggregation and MAC/PHY: kept as octets.
        #expect(organizational.prefix(2).map(\.key.oui) == [0x00120f, 0x00120f])
        #expect(organizational.prefix(2).map(\.key.subtype) == [3, 1])
        // The DCBX TLVs lldpd-1.0.16.conf configures.
        #expect(Array(organizational.dropFirst(2)) == [
            .etsConfiguration(ETSConfiguration(willing: true, creditBasedShaper: false, maxTrafficClasses: 8,
                                               tables: LLDPSamples.tables)),
            .etsRecommendation(LLDPSamples.tables),
            .pfcConfiguration(PFCConfiguration(willing: true, macsecBypassCapability: false, capability: 0, enabled: 0x08)),
            .applicationPriority(ApplicationPriority(entries: [
                ApplicationPriorityEntry(priority: 3, selector: 1, protocolID: 0x8906),
                ApplicationPriorityEntry(priority: 4, selector: 2, protocolID: 3260),
            ])),
        ])
        // lldpd keeps its own order: Management Address before Port Description.
        #expect(first.tlvs.map(\.type) == [5, 6, 7, 8, 4, 127, 127, 127, 127, 127, 127])

        // The shutdown LLDPDU when lldpd stops: TTL 0 and nothing else.
        let shutdown = try Self.lldpdu(frames[3])
        #expect(shutdown.timeToLive == 0)
        #expect(shutdown.tlvs.isEmpty)
    }

    @Test func anETSConfigurationOneOctetTooLongRejectsTheLLDPDU() throws {
        let frames = try Self.frames("lldpd-ets-26-octets.pcap")
        try #require(frames.count == 4)
        for frame in frames.prefix(3) {
            // Chassis 9 + Port 7 + TTL 4 + names, capabilities, addresses, 802.3: at offset 119.
            #expect(throws: LLDPDecodingError.badOrganizationalLength(subtype: 9, offset: 119, length: 26)) {
                try Self.lldpdu(frame)
            }
        }
        #expect(try Self.lldpdu(frames[3]).timeToLive == 0)
    }
}
