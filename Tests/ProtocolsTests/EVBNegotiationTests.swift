import FrameTestSupport
import Frames
import Protocols
import Testing

/// The EVB TLV exchange: operational values the larger of each, reflective relay only when
/// requested and allowed, and the bridge's TLV as lldpad's own bridge sends it.
@Suite struct EVBNegotiationTests {
    static let lldpadLike = EVBBridgeSettings(retries: 3, retransmitExponent: 8, resourceWaitDelay: 20, reinitKeepAlive: 20,
                                              reflectiveRelayAllowed: true)

    @Test func ourTLVMatchesLLDPadsBridgeBeforeAndAfterTheStation() throws {
        let station = try #require(try LLDPadEVBFrames.evb("lldp-station"))
        #expect(EVBNegotiation.tlv(bridge: Self.lldpadLike, station: nil)
            == (try LLDPadEVBFrames.evb("lldp-bridge-initial")))
        #expect(EVBNegotiation.tlv(bridge: Self.lldpadLike, station: station)
            == (try LLDPadEVBFrames.evb("lldp-bridge-negotiated")))
        let later = try #require(try LLDPadEVBFrames.evb("lldp-station-negotiated"))
        #expect(EVBNegotiation.tlv(bridge: Self.lldpadLike, station: later) == (try LLDPadEVBFrames.evb("lldp-bridge-later")))
    }

    @Test func eachValueIsTheLarger() {
        let bridge = EVBBridgeSettings(retries: 2, retransmitExponent: 14, resourceWaitDelay: 18, reinitKeepAlive: 22)
        let station = EVBTLV(retries: 5, retransmitExponent: 8, mode: .station, resourceWaitDelay: 20, reinitKeepAlive: 20)
        let operational = EVBNegotiation.operational(bridge: bridge, station: station)
        #expect((operational.retries, operational.retransmitExponent, operational.resourceWaitDelay, operational.reinitKeepAlive)
            == (5, 14, 20, 22))
        #expect(operational.stationHeard)
        // lldpad's RTE 8 against the default 14: the ack timeout is 10 * 2^14 us.
        #expect(operational.ackTimeout == 163_840_000)
        #expect(operational.keepAlivePeriod == 41_943_040_000)
        // 1.5 * (10*2^22 us + (5 + 1) * 10*2^14 us).
        #expect(operational.keepAliveTimeout == (41_943_040_000 + 6 * 163_840_000) * 3 / 2)
        let tlv = EVBNegotiation.tlv(bridge: bridge, station: station)
        #expect(tlv.mode == .bridge && tlv.retries == 5 && tlv.retransmitExponent == 14 && tlv.reinitKeepAlive == 22)
    }

    @Test func reflectiveRelayOnlyWhenRequestedAndAllowed() {
        let asking = EVBTLV(stationStatus: .reflectiveRelayRequested, retries: 3, retransmitExponent: 8, mode: .station,
                            resourceWaitDelay: 20, reinitKeepAlive: 20)
        var notAsking = asking
        notAsking.stationStatus = []
        var allowed = EVBBridgeSettings()
        allowed.reflectiveRelayAllowed = true
        let denied = EVBBridgeSettings()
        for (bridge, station, expected) in [(allowed, asking, true), (allowed, notAsking, false), (denied, asking, false),
                                            (denied, notAsking, false)] {
            #expect(EVBNegotiation.operational(bridge: bridge, station: station).reflectiveRelay == expected)
            let tlv = EVBNegotiation.tlv(bridge: bridge, station: station)
            #expect(tlv.bridgeStatus.contains(.reflectiveRelayControlled) == expected)
            #expect(tlv.bridgeStatus.contains(.reflectiveRelayCapable) == bridge.reflectiveRelayAllowed)
        }
        // A TLV from another bridge (mode bridge) is no station.
        var bridgeTLV = asking
        bridgeTLV.mode = .bridge
        #expect(!EVBNegotiation.operational(bridge: allowed, station: bridgeTLV).reflectiveRelay)
        #expect(!EVBNegotiation.operational(bridge: allowed, station: nil).stationHeard)
    }
}
