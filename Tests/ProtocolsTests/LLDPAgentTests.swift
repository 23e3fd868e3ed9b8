import Frames
import Protocols
import Synchronization
import SwitchTypes
import Testing

/// The LLDP agent on its own, frames in and frames out, on a virtual clock: what it
/// advertises and when, what it keeps of its neighbours and when it forgets them.
@Suite struct LLDPAgentTests {
    static let switchMAC = MACAddress(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01)
    static let hostMAC = MACAddress(0x02, 0xaa, 0x00, 0x00, 0x00, 0x01)

    static func settings(ports: Int = 2) -> LLDPSettings {
        var settings = LLDPSettings(chassisMAC: switchMAC, portCount: ports)
        settings.systemName = "rack1"
        settings.systemDescription = "VMready 0.1.0"
        settings.managementAddress = IPv4Address(198, 18, 0, 1)
        settings.ports[0].description = "hv1 uplink"
        settings.ports[0].portVLANID = 100
        settings.ports[0].vlanNames = [(100, "web")]
        return settings
    }

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(seconds: seconds) }

    static func decode(_ frame: OutboundFrame) throws -> LLDPDU {
        try frame.bytes.withUnsafeBytes { bytes in try LLDPDU(decoding: UnsafeRawBufferPointer(rebasing: bytes[14...])) }
    }

    /// What a hypervisor's lldpd would send: its MAC as chassis, `eth0` as port.
    static func neighborFrame(ttl: UInt16 = 120, name: String = "hv1.lab", to agent: LLDPAgentKind = .nearestBridge) -> [UInt8] {
        let unit = LLDPDU(chassisID: .macAddress(hostMAC), portID: .interfaceName("eth0"), timeToLive: ttl,
                          tlvs: [.systemName(LLDPText(name))])
        return try! unit.frame(source: hostMAC, destination: agent.address)
    }

    @Test func itAdvertisesTheSwitchAndThePortFastThenOnTheInterval() throws {
        let agent = LLDPAgent(settings: Self.settings())
        let first = agent.run(at: Self.at(0))
        #expect(first.map(\.port) == [1, 2])
        let unit = try Self.decode(first[0])
        #expect(unit.chassisID == .macAddress(Self.switchMAC))
        #expect(unit.portID == .interfaceName("port 1"))
        #expect(unit.timeToLive == 120)
        #expect(unit.portDescription == "hv1 uplink")
        #expect(unit.systemName == "rack1")
        #expect(unit.systemDescription == "VMready 0.1.0")
        #expect(unit.tlvs.contains(.organizational(.portVLANID(100))))
        #expect(unit.tlvs.contains(.organizational(.vlanName(vid: 100, name: "web"))))
        #expect(unit.tlvs.contains(.managementAddress(LLDPManagementAddress(address: .ipv4(IPv4Address(198, 18, 0, 1))))))
        #expect(Array(first[0].bytes[0..<6]) == LLDPAgentKind.nearestBridge.address.octets)
        // Port 2 has no description: no Port Description TLV.
        #expect(try Self.decode(first[1]).portDescription == nil)
        var times: [Int64] = [0]
        for second in Int64(1)...70 {
            guard let deadline = agent.nextDeadline, deadline <= Self.at(second) else { continue }
            if !agent.run(at: Self.at(second)).isEmpty { times.append(second) }
        }
        #expect(times == [0, 1, 2, 3, 33, 63])
        #expect(agent.stepped.snapshot.counters[1]?.framesOut == 6)
    }

    @Test func neighboursAreKeptUntilTheirTTLAndANewOneHearsUsAtOnce() throws {
        let agent = LLDPAgent(settings: Self.settings())
        let events = Mutex<[LLDPAgent.NeighborEvent.Kind]>([])
        agent.setObserver { event in events.withLock { $0.append(event.kind) } }
        for second in Int64(0)...3 { _ = agent.run(at: Self.at(second)) }   // fast start over
        let answer = Self.neighborFrame().withUnsafeBytes { agent.receive($0, port: 1, at: Self.at(10)) }
        #expect(answer.map(\.port) == [1])                                    // fast start again, at once
        let neighbors = agent.stepped.snapshot.neighbors.sorted
        #expect(neighbors.count == 1)
        #expect(neighbors.first?.key.port == 1 && neighbors.first?.info.systemName == "hv1.lab")
        // Heard again, renamed: changed; then silent past its TTL: aged out.
        _ = Self.neighborFrame(name: "hv1.renamed").withUnsafeBytes { agent.receive($0, port: 1, at: Self.at(20)) }
        #expect(agent.nextDeadline.map { $0 <= Self.at(140) } == true)
        _ = agent.run(at: Self.at(140))
        #expect(agent.stepped.snapshot.neighbors.entries.isEmpty)
        #expect(events.withLock { $0 } == [.added, .changed, .removed(.agedOut)])
        #expect(agent.stepped.snapshot.neighbors.counters[1]?.ageouts == 1)
    }

    @Test func aShutdownLLDPDUForgetsTheNeighbourAtOnce() {
        let agent = LLDPAgent(settings: Self.settings())
        _ = agent.run(at: Self.at(0))
        _ = Self.neighborFrame().withUnsafeBytes { agent.receive($0, port: 2, at: Self.at(1)) }
        #expect(agent.stepped.snapshot.neighbors.entries.count == 1)
        _ = Self.neighborFrame(ttl: 0).withUnsafeBytes { agent.receive($0, port: 2, at: Self.at(2)) }
        #expect(agent.stepped.snapshot.neighbors.entries.isEmpty)
    }

    /// A spanning-tree BPDU goes to 01:80:c2:00:00:00 too (the nearest customer bridge's
    /// address): it is not an LLDPDU, so no LLDP counter moves.
    @Test func anotherProtocolsFrameToAnLLDPAddressIsNotCounted() {
        let agent = LLDPAgent(settings: Self.settings())
        _ = agent.run(at: Self.at(0))
        let bpdu = LLDPAgentKind.nearestCustomerBridge.address.octets + Self.hostMAC.octets + [0x00, 0x26, 0x42, 0x42, 0x03]
            + [UInt8](repeating: 0, count: 38)
        _ = bpdu.withUnsafeBytes { agent.receive($0, port: 1, at: Self.at(1)) }
        #expect(agent.stepped.snapshot.counters[1].map { $0.framesIn + $0.framesDiscarded + $0.framesIgnored } ?? 0 == 0)
    }

    @Test func malformedLLDPDUsAreCountedAndDiscardedWhole() {
        let agent = LLDPAgent(settings: Self.settings())
        _ = agent.run(at: Self.at(0))
        let good = Self.neighborFrame()
        // Every truncation of a good frame: decoded whole or discarded whole, never half.
        for length in 14..<good.count {
            _ = Array(good[0..<length]).withUnsafeBytes { agent.receive($0, port: 1, at: Self.at(1)) }
        }
        let snapshot = agent.stepped.snapshot
        #expect((snapshot.counters[1]?.framesDiscarded ?? 0) > 0)
        #expect(snapshot.neighbors.entries.values.allSatisfy { $0.info.systemName == "hv1.lab" || $0.info.systemName == nil })
        #expect((snapshot.counters[1]?.framesDiscarded ?? 0) + (snapshot.counters[1]?.framesIn ?? 0) == good.count - 14)
    }

    @Test func aPortThatStopsSendingSaysGoodbyeAndOneThatStopsReceivingForgets() throws {
        var settings = Self.settings()
        let agent = LLDPAgent(settings: settings)
        _ = agent.run(at: Self.at(0))
        _ = Self.neighborFrame().withUnsafeBytes { agent.receive($0, port: 1, at: Self.at(1)) }
        settings.ports[0].adminStatus = .disabled
        agent.configure(settings)
        // (Port 2 is still in its fast start: only port 1's frames matter here.)
        let goodbye = agent.run(at: Self.at(5)).filter { $0.port == 1 }
        #expect(goodbye.count == 1)
        #expect(goodbye.first?.evenIfPortDisabled == true)
        // The shutdown LLDPDU is Chassis ID, Port ID and TTL 0 only (802.1AB-2016 9.1.2.2; lldpd's
        // is the same), though port 1 has a description, a VLAN and the switch a name.
        let shutdown = try goodbye.first.map(Self.decode)
        #expect(shutdown == LLDPDU(chassisID: .macAddress(Self.switchMAC), portID: .interfaceName("port 1"), timeToLive: 0))
        #expect(agent.stepped.snapshot.neighbors.entries.isEmpty)
        // Disabled: what it hears is ignored (counted), and it sends nothing.
        _ = Self.neighborFrame().withUnsafeBytes { agent.receive($0, port: 1, at: Self.at(6)) }
        #expect(agent.stepped.snapshot.counters[1]?.framesIgnored == 1)
        for second in Int64(6)...100 { #expect(agent.run(at: Self.at(second)).allSatisfy { $0.port != 1 }) }
        // Back on: not before the reinit delay (2 s after the stop), then fast start.
        settings.ports[0].adminStatus = .txOnly
        agent.configure(settings)
        #expect(agent.run(at: Self.at(101)).contains { $0.port == 1 })
    }

    @Test func vlanNamesThatDoNotFitAreLeftOut() throws {
        var settings = Self.settings()
        settings.ports[0].vlanNames = (1...200).map { (UInt16($0), String(repeating: "v", count: 32)) }
        let agent = LLDPAgent(settings: settings)
        let frame = try #require(agent.run(at: Self.at(0)).first)
        let unit = try Self.decode(frame)
        let names = unit.tlvs.filter { if case .organizational(.vlanName) = $0 { true } else { false } }
        #expect(names.count > 10 && names.count < 200)
        #expect(frame.bytes.count <= 1514)
    }
}

extension LLDPAgent {
    /// The agent after the loop's end-of-step question (which publishes its snapshot).
    var stepped: LLDPAgent {
        _ = nextDeadline
        return self
    }
}
