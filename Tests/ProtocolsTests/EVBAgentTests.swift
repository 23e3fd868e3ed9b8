import FrameTestSupport
import Frames
import Protocols
import Synchronization
import SwitchTypes
import Testing

/// The EVB agent on fake time, fed lldpad's own frames: the station's EVB TLV sets the
/// values, ECP requests are acked and answered exactly as lldpad's bridge did, events reach
/// the observer, and the EVB TLV rides the LLDP agent's nearest-customer-bridge LLDPDUs.
@Suite struct EVBAgentTests {
    static let types = LocalVSITypeDatabase(types: [.init(typeID: 4711, version: 1): VSIType(profile: "web")])

    /// An agent with EVB on port 1 of 2, sending as lldpad's bridge did (its MAC).
    static func agent(reflectiveRelay: Bool = true, retransmitExponent: UInt8 = 8) -> EVBAgent {
        var settings = EVBSettings(sourceMAC: LLDPadEVBFrames.bridge, portCount: 2)
        settings.ports[0] = EVBSettings.Port(bridge: EVBBridgeSettings(retransmitExponent: retransmitExponent,
                                                                      reflectiveRelayAllowed: reflectiveRelay))
        let agent = EVBAgent(settings: settings, types: types)
        _ = agent.nextDeadline
        _ = agent.run(at: Timestamp(seconds: 0))
        return agent
    }

    static func receive(_ agent: EVBAgent, _ name: String, port: Int = 1, at time: Timestamp) -> [[UInt8]] {
        LLDPadEVBFrames.frame(name).withUnsafeBytes { agent.receive($0, port: port, at: time) }.map(\.bytes)
    }

    final class Events: Sendable {
        let list = Mutex<[VDPEvent]>([])
        var kinds: [VDPEvent.Kind] { list.withLock { $0.map(\.kind) } }
    }

    @Test func interestIsTheCustomerBridgeAddressAndECP() {
        let agent = Self.agent()
        #expect(LLDPadEVBFrames.frame("ecp-preassoc-request").withUnsafeBytes { agent.interest.matches($0) })
        #expect(LLDPadEVBFrames.frame("lldp-station").withUnsafeBytes { agent.interest.matches($0) })
    }

    @Test func theStationsTLVSetsTheOperationalValues() throws {
        let agent = Self.agent(retransmitExponent: 14)
        _ = Self.receive(agent, "lldp-station", at: Timestamp(seconds: 1))
        _ = agent.nextDeadline
        let port = try #require(agent.snapshot.ports[1])
        #expect(port.station?.stationStatus.contains(.reflectiveRelayRequested) == true)
        #expect(port.operational.reflectiveRelay && port.operational.stationHeard && port.operational.retransmitExponent == 14)
        #expect(agent.snapshot.ports[2] == nil)
    }

    @Test func answersLLDPadsRequestsAsItsBridgeDid() throws {
        let agent = Self.agent()
        let events = Events()
        agent.setObserver { event in events.list.withLock { $0.append(event) } }
        var sent = Self.receive(agent, "ecp-preassoc-request", at: Timestamp(seconds: 1))
        // The ack, then the response as an ECP request of our own (sequence 1, as lldpad's).
        #expect(sent == [LLDPadEVBFrames.frame("ecp-preassoc-ack"), LLDPadEVBFrames.frame("ecp-preassoc-response")])
        #expect(events.kinds == [.preAssociated])
        // The next request waits in ECP's queue until the station acks our response.
        sent = Self.receive(agent, "ecp-preassoc-rr-request", at: Timestamp(seconds: 2))
        #expect(sent.count == 1)
        sent = Self.receive(agent, "ecp-preassoc-response-ack", at: Timestamp(seconds: 2))
        let next = try ECPDU(decodingFrame: try #require(sent.first))
        #expect(next.sequence == 2 && next.operation == .request)
        // VID 0 and a type without a VLAN: refused, nothing applied.
        let answer = try VDPDU(decoding: next.payload)
        guard case .vsi(let vsi) = answer.tlvs.last else { Issue.record("no VSI TLV"); return }
        #expect(vsi.status == .response(.invalidVIDGroupOrMAC, hard: true))
        _ = agent.nextDeadline
        #expect(agent.snapshot.ports[1]?.vsis.count == 1)
        #expect(agent.snapshot.ports[1]?.ecp.acksIn == 1 && agent.snapshot.ports[1]?.vdp.rejected == 1)
    }

    @Test func aRepeatedRequestIsAckedButAnsweredOnce() {
        let agent = Self.agent()
        #expect(Self.receive(agent, "ecp-assoc-request", at: Timestamp(seconds: 1)).count == 2)
        // lldpad's request is its sequence 3: the ack again, as lldpad's bridge acks (ecp-preassoc-ack's shape).
        #expect(Self.receive(agent, "ecp-assoc-request", at: Timestamp(seconds: 1))
            == [ECPDU(operation: .acknowledgement, sequence: 3).frame(source: LLDPadEVBFrames.bridge)])
        _ = agent.nextDeadline
        #expect(agent.snapshot.ports[1]?.ecp.duplicates == 1)
    }

    @Test func anUnackedResponseIsRetransmittedThenGivenUp() {
        let agent = Self.agent()
        let sent = Self.receive(agent, "ecp-assoc-request", at: Timestamp(seconds: 1))
        // RTE 8: 2.56 ms; R 3.
        let first = Timestamp(nanoseconds: 1_000_000_000 + 2_560_000)
        #expect(agent.nextDeadline == first)
        #expect(agent.run(at: first).map(\.bytes) == [sent[1]])
        var now = first
        for _ in 0..<3 {
            now = Timestamp(nanoseconds: now.nanoseconds + 2_560_000)
            _ = agent.run(at: now)
        }
        _ = agent.nextDeadline
        #expect(agent.snapshot.ports[1]?.ecp.retries == 3 && agent.snapshot.ports[1]?.ecp.timeouts == 1)
    }

    @Test func anUnrefreshedVSITimesOutAndALinkDownRemovesTheRest() throws {
        let agent = Self.agent()
        let events = Events()
        agent.setObserver { event in events.list.withLock { $0.append(event) } }
        _ = Self.receive(agent, "ecp-assoc-request", at: Timestamp(seconds: 1))
        _ = Self.receive(agent, "ecp-assoc-response-ack", at: Timestamp(seconds: 1))
        _ = Self.receive(agent, "ecp-preassoc-request", at: Timestamp(seconds: 2))
        // R 3, RTE 8, RKA 20: 1.5 * (10.49 s + 4 * 2.56 ms).
        let timeout = EVBNegotiation.operational(bridge: EVBBridgeSettings(retransmitExponent: 8), station: nil).keepAliveTimeout
        let due = Timestamp(nanoseconds: 1_000_000_000 + timeout)
        _ = agent.run(at: due)
        #expect(events.kinds == [.associated, .preAssociated, .timedOut])
        var settings = agent.snapshot.settings
        settings.ports[0]?.isUp = false
        agent.configure(settings)
        _ = agent.run(at: Timestamp(nanoseconds: due.nanoseconds + 1))
        #expect(events.kinds.last == .removed && events.kinds.count == 4)
        _ = agent.nextDeadline
        #expect(agent.snapshot.ports.isEmpty)
    }

    @Test func aShutdownLLDPDUTakesTheStationsValuesBack() throws {
        let agent = Self.agent(retransmitExponent: 8)
        var station = try #require(try LLDPadEVBFrames.evb("lldp-station"))
        station.retransmitExponent = 12
        let unit = LLDPDU(chassisID: .macAddress(LLDPadEVBFrames.station), portID: .macAddress(LLDPadEVBFrames.station),
                          timeToLive: 120, tlvs: [.organizational(station.organizational)])
        let frame = try unit.frame(source: LLDPadEVBFrames.station, destination: .lldpNearestCustomerBridge)
        _ = frame.withUnsafeBytes { agent.receive($0, port: 1, at: Timestamp(seconds: 1)) }
        _ = agent.nextDeadline
        #expect(agent.snapshot.ports[1]?.operational.retransmitExponent == 12)
        // ECP runs with the station's larger RTE: 10 * 2^12 us.
        _ = Self.receive(agent, "ecp-assoc-request", at: Timestamp(seconds: 2))
        #expect(agent.nextDeadline == Timestamp(nanoseconds: 2_000_000_000 + 40_960_000))
        var shutdown = unit
        shutdown.timeToLive = 0
        shutdown.tlvs = []
        let goodbye = try shutdown.frame(source: LLDPadEVBFrames.station, destination: .lldpNearestCustomerBridge)
        _ = goodbye.withUnsafeBytes { agent.receive($0, port: 1, at: Timestamp(seconds: 3)) }
        _ = agent.nextDeadline
        #expect(agent.snapshot.ports[1]?.station == nil && agent.snapshot.ports[1]?.operational.retransmitExponent == 8)
    }

    @Test func framesOnAPortWithoutEVBAreIgnored() {
        let agent = Self.agent()
        #expect(Self.receive(agent, "ecp-assoc-request", port: 2, at: Timestamp(seconds: 1)).isEmpty)
        #expect(Self.receive(agent, "ecp-assoc-request", port: 9, at: Timestamp(seconds: 1)).isEmpty)
        // A BPDU to 01:80:c2:00:00:00 (802.3 length, LLC) is neither LLDP nor ECP: not counted.
        let bpdu = MACAddress.lldpNearestCustomerBridge.octets + LLDPadEVBFrames.station.octets + [0x00, 0x26, 0x42, 0x42, 0x03]
            + [UInt8](repeating: 0, count: 43)
        #expect(bpdu.withUnsafeBytes { agent.receive($0, port: 1, at: Timestamp(seconds: 1)) }.isEmpty)
        _ = agent.nextDeadline
        #expect(agent.snapshot.ports[1]?.ecp.malformed == 0)
    }

    @Test func theEVBTLVRidesTheCustomerBridgeLLDPDUFromLinkUp() throws {
        var settings = LLDPSettings(chassisMAC: LLDPadEVBFrames.bridge, portCount: 2)
        let bridge = EVBBridgeSettings(retransmitExponent: 8, reflectiveRelayAllowed: true)
        settings.ports[0].evb = bridge
        let lldp = LLDPAgent(settings: settings)
        func customer(_ frames: [OutboundFrame]) throws -> [EVBTLV?] {
            try frames.filter { $0.bytes.starts(with: MACAddress.lldpNearestCustomerBridge.octets) }.map {
                EVBTLV.first(in: try LLDPDU(decoding: Array($0.bytes.dropFirst(14))).tlvs)
            }
        }
        // At once: lldpad's own bridge TLV before it heard a station.
        let start = try customer(lldp.run(at: Timestamp(seconds: 0)))
        #expect(start == [try LLDPadEVBFrames.evb("lldp-bridge-initial")])
        // The station's TLV is answered at once, negotiated as lldpad's bridge did.
        let answer = try customer(LLDPadEVBFrames.frame("lldp-station").withUnsafeBytes {
            lldp.receive($0, port: 1, at: Timestamp(seconds: 1))
        })
        #expect(answer == [try LLDPadEVBFrames.evb("lldp-bridge-negotiated")])
        _ = lldp.nextDeadline
        #expect(lldp.snapshot.counters[1]?.tlvsUnrecognized == 0)
    }
}
