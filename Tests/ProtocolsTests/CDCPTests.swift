import Frames
import Protocols
import SwitchTypes
import Testing

/// CDCP's bridge side: what a station asks is answered from the port's vNICs, in the
/// station's order, refusing what the port cannot give; the answer rides the port's
/// nearest-customer-bridge LLDPDUs, sent at once when the request changes.
@Suite struct CDCPTests {
    static let station = MACAddress(0x02, 0x5e, 0x00, 0x00, 0x00, 0x01)
    static let fourVNICs = CDCPPort(available: (1...4).map { CDCPTLV.Channel(scid: UInt16($0), svid: UInt16(100 + $0)) })

    static func request(_ scids: [UInt16]) -> CDCPTLV {
        CDCPTLV(role: .station, sComponent: false, channelCapacity: 8, channels: scids.map { .init(scid: $0, svid: 0) })
    }

    @Test func theStationsRequestIsAnsweredFromTheVNICsInItsOrder() {
        let given = Self.fourVNICs.assignments(for: Self.request([3, 1, 5, 3, 2]))
        #expect(given == [.init(scid: 3, svid: 103), .init(scid: 1, svid: 101), .init(scid: 2, svid: 102)])
        #expect(Self.fourVNICs.assignments(for: nil).isEmpty)
        let answer = Self.fourVNICs.answer(to: Self.request([1, 2]))
        #expect(answer.role == .bridge && answer.channelCapacity == 4 && answer.channels.count == 2)
        // A bridge's TLV is not a request.
        let unit = LLDPDU(chassisID: .macAddress(Self.station), portID: .interfaceName("eth0"), timeToLive: 120,
                          tlvs: [.organizational(.cdcp(answer))])
        #expect(CDCPPort.request(in: unit) == nil)
    }

    static func decode(_ frame: OutboundFrame) throws -> (destination: MACAddress, unit: LLDPDU) {
        try frame.bytes.withUnsafeBytes { bytes in
            (MACAddress(loadingFrom: bytes, atOffset: 0), try LLDPDU(decoding: UnsafeRawBufferPointer(rebasing: bytes[14...])))
        }
    }

    @Test func theAnswerRidesTheNearestCustomerBridgeLLDPDUs() throws {
        var settings = LLDPSettings(chassisMAC: MACAddress(0x02, 0, 0, 0, 0, 1), portCount: 2)
        settings.ports[0].cdcp = Self.fourVNICs
        let agent = LLDPAgent(settings: settings)
        let start = try agent.run(at: Timestamp(seconds: 100)).map(Self.decode)
        // Port 1 speaks on both agents; port 2 (no CDCP) on the nearest bridge's only.
        let customer = start.filter { $0.destination == LLDPAgentKind.nearestCustomerBridge.address }
        #expect(customer.count == 1)
        #expect(customer.first?.unit.organizationalTLVs == [.cdcp(Self.fourVNICs.answer(to: nil))])
        #expect(start.filter { $0.destination == LLDPAgentKind.nearestBridge.address }.count == 2)
        // The station asks for five channels on the customer bridge agent: answered at once with four.
        var ask = LLDPDU(chassisID: .macAddress(Self.station), portID: .interfaceName("eth0"), timeToLive: 120,
                         tlvs: [.organizational(.cdcp(Self.request([1, 2, 3, 4, 5])))])
        var frame = try ask.frame(source: Self.station, destination: LLDPAgentKind.nearestCustomerBridge.address)
        let answered = try frame.withUnsafeBytes { agent.receive($0, port: 1, at: Timestamp(seconds: 101)) }.map(Self.decode)
        let reply = try #require(answered.first { $0.destination == LLDPAgentKind.nearestCustomerBridge.address })
        #expect(reply.unit.organizationalTLVs == [.cdcp(Self.fourVNICs.answer(to: Self.request([1, 2, 3, 4, 5])))])
        // It asks for fewer: the new answer goes out at once too.
        ask.tlvs = [.organizational(.cdcp(Self.request([2])))]
        frame = try ask.frame(source: Self.station, destination: LLDPAgentKind.nearestCustomerBridge.address)
        let second = try frame.withUnsafeBytes { agent.receive($0, port: 1, at: Timestamp(seconds: 102)) }.map(Self.decode)
        #expect(second.first { $0.destination == LLDPAgentKind.nearestCustomerBridge.address }?.unit.organizationalTLVs
            == [.cdcp(CDCPTLV(role: .bridge, sComponent: true, channelCapacity: 4, channels: [.init(scid: 2, svid: 102)]))])
        // CDCP off on the port: the customer bridge agent says goodbye (TTL 0) and stops.
        settings.ports[0].cdcp = nil
        agent.configure(settings)
        let stopped = try agent.run(at: Timestamp(seconds: 103)).map(Self.decode)
        #expect(stopped.filter { $0.destination == LLDPAgentKind.nearestCustomerBridge.address }.map(\.unit.timeToLive) == [0])
        let later = try agent.run(at: Timestamp(seconds: 200)).map(Self.decode)
        #expect(later.allSatisfy { $0.destination == LLDPAgentKind.nearestBridge.address })
    }
}
