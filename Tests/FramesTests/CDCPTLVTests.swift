import Foundation
import Frames
import FrameTestSupport
import Testing

/// The CDCP TLV (802.1Qbg S-channels): byte vectors from the standard's layout, every
/// malformation rejected, and tcpdump (which decodes CDCP, as tshark 4.0 does not) reading
/// what the encoder writes without a truncation mark.
@Suite struct CDCPTLVTests {
    static let tcpdump = PacketTools.tcpdump

    /// A bridge's answer: SCID 1 on S-VID 1, SCID 2 on S-VID 2, SCID 3 on S-VID 0xabc.
    static let answer = CDCPTLV(role: .bridge, sComponent: true, channelCapacity: 4,
                                channels: [.init(scid: 1, svid: 1), .init(scid: 2, svid: 2), .init(scid: 3, svid: 0xabc)])
    static let answerWire: [UInt8] = [0xfe, 17, 0x00, 0x80, 0xc2, 0x0e, 0x08, 0x00, 0x00, 0x04,
                                      0x00, 0x10, 0x01, 0x00, 0x20, 0x02, 0x00, 0x3a, 0xbc]

    static func unit(_ tlvs: [LLDPTLV]) -> LLDPDU {
        LLDPDU(chassisID: .macAddress(MACAddress(0x02, 0, 0, 0, 0, 1)), portID: .interfaceName("port 1"), timeToLive: 120, tlvs: tlvs)
    }

    @Test func encodesAsTheStandardLaysItOut() throws {
        let wire = try Self.unit([.organizational(.cdcp(Self.answer))]).encode()
        let mandatory = try Self.unit([]).encode().dropLast(2)
        #expect(Array(wire.dropFirst(mandatory.count).dropLast(2)) == Self.answerWire)
        let decoded = try LLDPDU(decoding: wire)
        #expect(decoded.organizationalTLVs == [.cdcp(Self.answer)])
        // A station's request: role S, channels with S-VID 0.
        let request = CDCPTLV(role: .station, sComponent: false, channelCapacity: 167,
                              channels: (1...167).map { .init(scid: UInt16($0), svid: 0) })
        #expect(try LLDPDU(decoding: Self.unit([.organizational(.cdcp(request))]).encode()).organizationalTLVs == [.cdcp(request)])
    }

    @Test func malformedCDCPTLVsRejectTheLLDPDU() throws {
        let mandatory = Array(try Self.unit([]).encode().dropLast(2))
        // Too short for the fixed part, and a pair cut short.
        for info in [[0x08, 0x00, 0x00] as [UInt8], [0x08, 0x00, 0x00, 0x04, 0x00, 0x10]] {
            let tlv: [UInt8] = [0xfe, UInt8(4 + info.count), 0x00, 0x80, 0xc2, 0x0e] + info
            #expect(throws: LLDPDecodingError.self) { try LLDPDU(decoding: mandatory + tlv + [0, 0]) }
        }
        // Values that do not fit their 12 bits cannot be sent.
        let bad = CDCPTLV(role: .bridge, sComponent: false, channelCapacity: 1, channels: [.init(scid: 0x1000, svid: 1)])
        #expect(throws: LLDPEncodingError.self) { try Self.unit([.organizational(.cdcp(bad))]).encode() }
    }

    @Test(.enabled(if: tcpdump != nil, "tcpdump is missing: run `make deps` (Debian package tcpdump)"))
    func tcpdumpDecodesTheBridgesAnswerWhole() throws {
        let tcpdump = try #require(Self.tcpdump)
        let frame = try Self.unit([.organizational(.cdcp(Self.answer))])
            .frame(source: MACAddress(0x02, 0, 0, 0, 0, 1), destination: .lldpNearestCustomerBridge)
        let file = FileManager.default.temporaryDirectory.appending(path: "vmready-cdcp-\(UUID().uuidString).pcap")
        defer { try? FileManager.default.removeItem(at: file) }
        try PacketTools.pcap([frame]).write(to: file)
        let (status, text) = try PacketTools.run(tcpdump, ["-vv", "-n", "-r", file.path])
        #expect(status == 0)
        #expect(text.contains("Role: 0, RES: 0, Scomp: 1 ChnCap: 4"), "\(text)")
        #expect(text.contains("SCID: 1, SVID: 1") && text.contains("SCID: 2, SVID: 2") && text.contains("SCID: 3, SVID: 2748"), "\(text)")
        // `[|lldp]` marks a TLV tcpdump ran out of bytes for (-vv also hex-dumps every TLV: not an error).
        #expect(!text.contains("[|") && !text.lowercased().contains("malformed") && text.contains("End TLV"), "\(text)")
    }
}
