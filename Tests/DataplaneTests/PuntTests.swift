import Frames
import Synchronization
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// The punt path (protocols.md, "The seam in the dataplane"): which frames the
/// pipeline takes off the forwarding path, and what the control plane reads.
@Suite struct PuntTests {
    /// Port 1 access VLAN 10; port 2 access VLAN 10; port 3 a trunk that does not
    /// allow its native VLAN (1); port 4 shut down; port 5 a trunk of every VLAN.
    static func makeConfiguration() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 5)
        try config.vlans.create(10)
        config[port: 1].accessVLAN = 10
        config[port: 2].accessVLAN = 10
        config[port: 3].mode = .trunk
        config[port: 3].trunkAllowedVLANs = VLANSet([10])
        config[port: 4].isEnabled = false
        config[port: 5].mode = .trunk
        config.puntEtherTypes = [BridgeConfiguration.lldpEtherType, 0x8940]
        return config
    }

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var port: Int
        var punted: Bool
        var description: String { name }

        init(name: String, frame: FrameBuilder, port: Int, punted: Bool) {
            self.name = name
            bytes = frame.bytes
            self.port = port
            self.punted = punted
        }
    }

    static var cases: [Case] {
        var result: [Case] = []
        // Every 01:80:c2:00:00:0x address, of an EtherType nobody registered.
        for last: UInt64 in 0...0xf {
            result.append(Case(name: "01:80:c2:00:00:0\(String(last, radix: 16))",
                               frame: FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_0000 | last),
                                                   source: station(1)), port: 1, punted: true))
        }
        result.append(Case(name: "01:80:c2:00:00:10 is not link-local",
                           frame: FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_0010), source: station(1)),
                           port: 1, punted: false))
        var lldpUnicast = FrameBuilder(destination: station(9), source: station(1))
        lldpUnicast.etherType = 0x88cc
        result.append(Case(name: "LLDP EtherType to a unicast address", frame: lldpUnicast, port: 1, punted: true))
        var ecp = FrameBuilder(destination: .broadcast, source: station(1))
        ecp.etherType = 0x8940
        result.append(Case(name: "registered ECP EtherType", frame: ecp, port: 1, punted: true))
        var unregistered = FrameBuilder(destination: .broadcast, source: station(1))
        unregistered.etherType = 0x8941
        result.append(Case(name: "unregistered EtherType", frame: unregistered, port: 1, punted: false))
        var taggedLLDP = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_000e), source: station(1), vlan: 10)
        taggedLLDP.etherType = 0x88cc
        result.append(Case(name: "tagged LLDP on a trunk", frame: taggedLLDP, port: 5, punted: true))
        var taggedECP = FrameBuilder(destination: station(9), source: station(1), vlan: 10)
        taggedECP.etherType = 0x8940
        result.append(Case(name: "registered EtherType behind a tag", frame: taggedECP, port: 5, punted: true))
        var lldp = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_000e), source: station(1))
        lldp.etherType = 0x88cc
        result.append(Case(name: "LLDP on a trunk without its native VLAN", frame: lldp, port: 3, punted: true))
        result.append(Case(name: "ordinary untagged frame there is dropped",
                           frame: FrameBuilder(destination: .broadcast, source: station(1)), port: 3, punted: false))
        result.append(Case(name: "LLDP on a disabled port", frame: lldp, port: 4, punted: false))
        // A tagged frame of a VLAN the access port does not carry still punts.
        var taggedOnAccess = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_0003), source: station(1),
                                          vlan: 99)
        taggedOnAccess.etherType = 0x888e
        result.append(Case(name: "EAPOL tagged with a foreign VLAN on an access port", frame: taggedOnAccess, port: 1,
                           punted: true))
        return result
    }

    @Test(arguments: PuntTests.cases)
    func classification(_ example: Case) throws {
        let sink = CollectingSink()
        let clock = VirtualClock(start: Timestamp(seconds: 1_700_000_000))
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink, clock: clock)
        pipeline.process(example.bytes, on: example.port)
        let counters = pipeline.counters(port: example.port)
        #expect(counters.rxFrames == 1)
        #expect(counters.punted == (example.punted ? 1 : 0))
        #expect(pipeline.punts.count == (example.punted ? 1 : 0))
        #expect(everyFrameAccounted(pipeline))
        if example.punted {
            // Never flooded, forwarded or learned.
            #expect(sink.frames.isEmpty)
            #expect(pipeline.macTable.count == 0)
            var seen: [(Int, Timestamp, [UInt8])] = []
            pipeline.punts.receive { seen.append(($0.port, $0.time, Array($0.bytes))) }
            #expect(seen.count == 1)
            #expect(seen.first?.0 == example.port)
            #expect(seen.first?.1 == Timestamp(seconds: 1_700_000_000))
            #expect(seen.first?.2 == example.bytes)
        }
        if example.port == 4 { #expect(counters.drops[.portDown] == 1) }
    }

    @Test func lldpIsPuntedByDefaultAndRegistrationsTakeEffectOnApply() throws {
        var config = try BridgeConfiguration(portCount: 2)
        #expect(config.puntEtherTypes == [0x88cc])
        let pipeline = try ForwardingPipeline(configuration: config, egress: CollectingSink(), clock: VirtualClock())
        var ecp = FrameBuilder(destination: .broadcast, source: station(1))
        ecp.etherType = 0x8940
        pipeline.process(ecp, on: 1)
        #expect(pipeline.counters(port: 1).punted == 0 && pipeline.counters(port: 1).flooded == 1)
        config.puntEtherTypes.insert(0x8940)
        try pipeline.apply(config)
        pipeline.process(ecp, on: 1)
        #expect(pipeline.counters(port: 1).punted == 1)
        config.puntEtherTypes = []
        try pipeline.apply(config)
        var lldp = FrameBuilder(destination: station(2), source: station(1))
        lldp.etherType = 0x88cc
        pipeline.process(lldp, on: 1)
        #expect(pipeline.counters(port: 1).punted == 1, "LLDP to a unicast address forwards once unregistered")
    }

    @Test(arguments: [UInt16(0x0000), 0x05ff, 0x8100, 0x88a8])
    func lengthsAndTagTypesCannotBeRegistered(_ type: UInt16) throws {
        var config = try BridgeConfiguration(portCount: 2)
        config.puntEtherTypes = [type]
        #expect(throws: BridgeConfigurationError.invalidPuntEtherType(type)) { try config.validate() }
    }

    @Test func aFullRingDropsAndCountsWhileForwardingGoesOn() throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink,
                                              clock: VirtualClock(), puntCapacity: 4)
        #expect(pipeline.punts.capacity == 4)
        var lldp = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_000e), source: station(1))
        lldp.etherType = 0x88cc
        for number in 0..<10 {
            lldp.payload = Array(repeating: UInt8(number), count: 46)
            pipeline.process(lldp, on: 1)
            // Ordinary traffic in between is forwarded as ever.
            pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 1)
        }
        let counters = pipeline.counters(port: 1)
        #expect(counters.punted == 4)
        #expect(counters.drops[.puntOverflow] == 6)
        #expect(counters.flooded == 10)
        // Ten broadcasts to ports 2, 3 and 5 (VLAN 10's other members that are up), no LLDP.
        #expect(sink.frames.count == 30)
        #expect(sink.frames.allSatisfy { $0.bytes[12] == 0x88 && $0.bytes[13] == 0xb5 || $0.vlanTag == 10 })
        #expect(everyFrameAccounted(pipeline))
        // The oldest four were kept; after reading, the ring takes frames again.
        var firstBytes: [UInt8] = []
        #expect(pipeline.punts.receive(limit: 3) { firstBytes.append($0.bytes[14]) } == 3)
        #expect(firstBytes == [0, 1, 2])
        pipeline.process(lldp, on: 2)
        var rest: [(Int, UInt8)] = []
        #expect(pipeline.punts.receive { rest.append(($0.port, $0.bytes[14])) } == 2)
        #expect(rest.map(\.0) == [1, 2] && rest.map(\.1) == [3, 9])
        #expect(pipeline.punts.receive { _ in Issue.record("the ring is empty") } == 0)
    }

    @Test func framesLongerThanASlotOverflow() throws {
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: CollectingSink(),
                                              clock: VirtualClock())
        var lldp = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_000e), source: station(1))
        lldp.etherType = 0x88cc
        lldp.payload = Array(repeating: 7, count: 1522 - 14)
        pipeline.process(lldp, on: 1)
        lldp.payload.append(7)
        pipeline.process(lldp, on: 1)
        #expect(pipeline.counters(port: 1).punted == 1)
        #expect(pipeline.counters(port: 1).drops[.puntOverflow] == 1)
        var lengths: [Int] = []
        pipeline.punts.receive { lengths.append($0.bytes.count) }
        #expect(lengths == [1522])
    }

    @Test func theListenerIsToldAfterEachPunt() throws {
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: CollectingSink(),
                                              clock: VirtualClock())
        let told = SharedCounter()
        pipeline.puntListener = { told.value.add(1, ordering: .relaxed) }
        var lldp = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_000e), source: station(1))
        lldp.etherType = 0x88cc
        pipeline.process(lldp, on: 1)
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 1)
        pipeline.process(lldp, on: 2)
        #expect(told.value.load(ordering: .relaxed) == 2)
    }

    @Test func puntingWorksOnThePolicyPath() throws {
        var config = try Self.makeConfiguration()
        config.stationPolicyPorts = [1]
        config.stationPolicies = [station(1): StationPolicy(vlan: 10)]
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: config, egress: sink, clock: VirtualClock())
        var lldp = FrameBuilder(destination: station(2), source: station(1))
        lldp.etherType = 0x88cc
        let batch = FrameBatch(capacity: 4, byteCapacity: 4096)
        lldp.bytes.withUnsafeBytes { _ = batch.append($0, port: 1) }
        pipeline.process(batch)
        #expect(pipeline.counters(port: 1).punted == 1)
        #expect(sink.frames.isEmpty)
    }

    /// Seeded random frames, truncated at every length, half of them headed like control
    /// frames: nothing crashes, every frame has one fate, and what was punted reads back whole.
    @Test func randomAndTruncatedFrames() throws {
        var random = StationUpdateDifferentialTests.SeededGenerator(state: 88_204)
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: CollectingSink(),
                                              clock: VirtualClock(), puntCapacity: 64)
        let heads: [[UInt8]] = [[0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e], [0x01, 0x80, 0xc2, 0x00, 0x00, 0x03]]
        var sentToPunt = 0
        for round in 0..<4000 {
            var bytes = (0..<Int.random(in: 0...80, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 2 == 0, bytes.count >= 6 { bytes.replaceSubrange(0..<6, with: heads[round / 2 % 2]) }
            if round % 3 == 0, bytes.count >= 14 { bytes[12] = 0x81; bytes[13] = 0x00 }
            if round % 5 == 0, bytes.count >= 18 { bytes[16] = 0x89; bytes[17] = 0x40 }
            pipeline.process(bytes, on: round % 5 + 1)
            var read: [[UInt8]] = []
            pipeline.punts.receive { read.append(Array($0.bytes)) }
            #expect(read.count <= 1)
            if let frame = read.first {
                #expect(frame == bytes)
                sentToPunt += 1
            }
        }
        #expect(sentToPunt > 1000)
        #expect(pipeline.allCounters().reduce(0) { $0 + $1.punted } == UInt64(sentToPunt))
        #expect(everyFrameAccounted(pipeline))
    }
}
