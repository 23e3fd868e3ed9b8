import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes
import Testing

/// Switch mode as a table: (in-port, S-VID, C-VID) of a broadcast → the exact frames
/// that leave, and where.
///
/// The switch: port 1 has vNICs 1.1 (S-VID 1, access 10), 1.2 (S-VID 2, access 10),
/// 1.3 (S-VID 3, trunk 10,20 whose native VLAN 1 it does not allow) and 1.4 (S-VID 4,
/// disabled); port 2 has 2.1 (S-VID 101, access 20) and 2.2 (S-VID 2, access 10);
/// port 3 is access 10, port 4 a trunk of every VLAN. VLANs 1, 10, 20 exist.
@Suite struct VNICSwitchModeTests {
    static func makeConfiguration() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 4)
        for vlan: UInt16 in [10, 20] { try config.vlans.create(vlan) }
        config.vnicEnabled = true
        VNICTest.addVNICs(&config, port: 1, [1: 1, 2: 2, 3: 3, 4: 4])
        config.vnicPorts[1]!.vnics[1]!.switchport.accessVLAN = 10
        config.vnicPorts[1]!.vnics[2]!.switchport.accessVLAN = 10
        config.vnicPorts[1]!.vnics[3]!.switchport.mode = .trunk
        config.vnicPorts[1]!.vnics[3]!.switchport.trunkAllowedVLANs = VLANSet([10, 20])
        config.vnicPorts[1]!.vnics[4]!.isEnabled = false
        VNICTest.addVNICs(&config, port: 2, [1: 101, 2: 2])
        config.vnicPorts[2]!.vnics[1]!.switchport.accessVLAN = 20
        config.vnicPorts[2]!.vnics[2]!.switchport.accessVLAN = 10
        config[port: 3].accessVLAN = 10
        config[port: 4].mode = .trunk
        return config
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var port: Int
        var svid: UInt16?
        var cvid: UInt16?
        /// Egress: physical port, S-VID pushed (nil: none), C-VID (nil: none).
        var expected: [Out]
        var drop: (BridgePort, DropReason)?
        var testDescription: String { "in \(port) S-VID \(svid.map(String.init) ?? "-") C-VID \(cvid.map(String.init) ?? "-")" }
    }

    struct Out: Sendable {
        var port: Int
        var svid: UInt16?
        var cvid: UInt16?
        init(_ port: Int, s svid: UInt16? = nil, c cvid: UInt16? = nil) {
            self.port = port
            self.svid = svid
            self.cvid = cvid
        }
    }

    static let rows: [Row] = [
        // From a vNIC: to the other vNICs of its port (own S-tag each), other ports' vNICs, ports.
        Row(port: 1, svid: 1, expected: [Out(1, s: 2), Out(1, s: 3, c: 10), Out(2, s: 2), Out(3), Out(4, c: 10)]),
        Row(port: 1, svid: 2, cvid: 10, expected: [Out(1, s: 1), Out(1, s: 3, c: 10), Out(2, s: 2), Out(3), Out(4, c: 10)]),
        Row(port: 1, svid: 3, cvid: 20, expected: [Out(2, s: 101), Out(4, c: 20)]),
        Row(port: 1, svid: 3, cvid: 10, expected: [Out(1, s: 1), Out(1, s: 2), Out(2, s: 2), Out(3), Out(4, c: 10)]),
        Row(port: 1, svid: 3, expected: [], drop: (BridgePort(port: 1, vnic: 3), .vlanNotAllowed)),
        Row(port: 1, svid: 1, cvid: 20, expected: [], drop: (BridgePort(port: 1, vnic: 1), .vlanNotAllowed)),
        Row(port: 2, svid: 101, expected: [Out(1, s: 3, c: 20), Out(4, c: 20)]),
        Row(port: 2, svid: 2, expected: [Out(1, s: 1), Out(1, s: 2), Out(1, s: 3, c: 10), Out(3), Out(4, c: 10)]),
        // Secure identification: a disabled vNIC's S-VID, an unknown one, no S-tag at all.
        Row(port: 1, svid: 4, expected: [], drop: (BridgePort(port: 1), .svidNotAssigned)),
        Row(port: 1, svid: 101, expected: [], drop: (BridgePort(port: 1), .svidNotAssigned)),
        Row(port: 1, expected: [], drop: (BridgePort(port: 1), .svidNotAssigned)),
        Row(port: 1, cvid: 10, expected: [], drop: (BridgePort(port: 1), .svidNotAssigned)),
        // Towards vNICs from ports without any.
        Row(port: 3, expected: [Out(1, s: 1), Out(1, s: 2), Out(1, s: 3, c: 10), Out(2, s: 2), Out(4, c: 10)]),
        Row(port: 4, cvid: 20, expected: [Out(1, s: 3, c: 20), Out(2, s: 101)]),
        Row(port: 4, expected: []),
    ]

    /// The bytes of `row`'s frame as it leaves at `out`.
    static func bytes(_ out: Out, source: MACAddress, seed: UInt8) -> [UInt8] {
        VNICTest.frame(to: VNICTest.broadcast, from: source, svid: out.svid, cvid: out.cvid, seed: seed)
    }

    @Test(arguments: rows)
    func broadcastFromEachPortAndVNIC(_ row: Row) throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink)
        let source = station(77)
        let seed = UInt8(truncatingIfNeeded: row.port &* 16 &+ Int(row.svid ?? 0) &+ Int(row.cvid ?? 0))
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: source, svid: row.svid, cvid: row.cvid,
                                        seed: seed), on: row.port)
        let expected = Set(row.expected.map { Egress(port: $0.port, bytes: Self.bytes($0, source: source, seed: seed)) })
        #expect(sink.takeSet() == expected)
        if let drop = row.drop {
            let (at, reason) = drop
            let counters = at.isVNIC ? pipeline.counters(vnic: at) : pipeline.counters(port: at.port)
            #expect(counters?.drops[reason] == 1)
        }
        #expect(everyFrameAndVNICAccounted(pipeline))
    }

    @Test func unicastHairpinsBetweenVNICsOfOnePortAndCrossesToOtherPorts() throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink)
        let (a, b, c, d) = (station(1), station(2), station(3), station(4))
        // a behind 1.1, b behind 1.2, c behind 2.2, d behind port 3: each announces itself.
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: a, svid: 1), on: 1)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: b, svid: 2), on: 1)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: c, svid: 2), on: 2)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: d), on: 3)
        _ = sink.take()

        // 1.1 → 1.2: out of port 1 again, with 1.2's S-tag.
        pipeline.process(VNICTest.frame(to: b, from: a, svid: 1, seed: 1), on: 1)
        #expect(sink.take() == [EgressFrame(port: 1, bytes: VNICTest.frame(to: b, from: a, svid: 2, seed: 1))])
        // 1.2 → 2.2: port 2 with 2.2's S-tag (the same S-VID, another port).
        pipeline.process(VNICTest.frame(to: c, from: b, svid: 2, seed: 2), on: 1)
        #expect(sink.take() == [EgressFrame(port: 2, bytes: VNICTest.frame(to: c, from: b, svid: 2, seed: 2))])
        // Port 3 → 1.1: the S-tag pushed; 1.1 → port 3: stripped.
        pipeline.process(VNICTest.frame(to: a, from: d, seed: 3), on: 3)
        #expect(sink.take() == [EgressFrame(port: 1, bytes: VNICTest.frame(to: a, from: d, svid: 1, seed: 3))])
        pipeline.process(VNICTest.frame(to: d, from: a, svid: 1, seed: 4), on: 1)
        #expect(sink.take() == [EgressFrame(port: 3, bytes: VNICTest.frame(to: d, from: a, seed: 4))])
        // To a station behind the same vNIC: filtered there.
        pipeline.process(VNICTest.frame(to: a, from: station(5), svid: 1, seed: 5), on: 1)
        #expect(sink.take().isEmpty)
        #expect(pipeline.counters(vnic: BridgePort(port: 1, vnic: 1))?.filtered == 1)

        // The MAC table names the vNICs; the counters are per vNIC.
        let entries = Dictionary(uniqueKeysWithValues: pipeline.macEntries().map { ($0.mac, $0.bridgePort.description) })
        #expect(entries[a] == "1.1" && entries[b] == "1.2" && entries[c] == "2.2" && entries[d] == "3")
        let vnic11 = try #require(pipeline.counters(vnic: BridgePort(port: 1, vnic: 1)))
        #expect(vnic11.rxFrames == 4 && vnic11.forwarded == 2 && vnic11.flooded == 1 && vnic11.filtered == 1)
        #expect(vnic11.txFrames == 4 && vnic11.txBytes == 4 * 60)
        #expect(pipeline.counters(port: 1).toVNIC == 6)
        #expect(pipeline.snapshot().vnicCounters.map(\.bridgePort.description) == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2"])
        #expect(everyFrameAndVNICAccounted(pipeline))
    }

    @Test func theLearningObserverHearsTheVNIC() throws {
        final class Recorder: LearningObserver {
            var events: [LearningEvent] = []
            func stationLearned(_ event: LearningEvent) -> Bool {
                events.append(event)
                return true
            }
        }
        let recorder = Recorder()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: CollectingSink())
        pipeline.learningObserver = recorder
        let vm = station(9)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: vm, svid: 2), on: 1)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: vm, svid: 1), on: 1)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: vm), on: 3)
        #expect(recorder.events.map(\.bridgePort.description) == ["1.2", "1.1", "3"])
        #expect(recorder.events.map { $0.previousBridgePort?.description } == [nil, "1.2", "1.1"])
    }

    /// With vNICs globally off, or on ports that have none, frames (S-tagged ones too)
    /// go exactly where and as they went without any vNIC configured.
    @Test(arguments: [false, true])
    func portsWithoutVNICsBehaveAsBefore(vnicEnabled: Bool) throws {
        var plain = try BridgeConfiguration(portCount: 4)
        for vlan: UInt16 in [10, 20] { try plain.vlans.create(vlan) }
        plain[port: 3].accessVLAN = 10
        plain[port: 4].mode = .trunk
        plain[port: 2].accessVLAN = 20
        var withVNICs = plain
        withVNICs.vnicEnabled = vnicEnabled
        VNICTest.addVNICs(&withVNICs, port: 1, [1: 1, 2: 2])
        // With vNICs on, port 1 takes no part in VLANs 10 and 20: compare what ports 2-4 do.
        let ports = vnicEnabled ? [2, 3, 4] : [1, 2, 3, 4]
        let plainSink = CollectingSink()
        let vnicSink = CollectingSink()
        let before = try ForwardingPipeline(configuration: plain, egress: plainSink)
        let after = try ForwardingPipeline(configuration: withVNICs, egress: vnicSink)
        var random = SplitMix(state: 0x5eed_0016)
        for index in 0..<2000 {
            let port = ports[Int(random.next() % UInt64(ports.count))]
            let svid: UInt16? = random.next() % 3 == 0 ? UInt16(random.next() % 4) : nil
            let cvid: UInt16? = random.next() % 2 == 0 ? [1, 10, 20, 30][Int(random.next() % 4)] : nil
            let destination = random.next() % 4 == 0 ? VNICTest.broadcast : station(Int(random.next() % 6))
            let frame = VNICTest.frame(to: destination, from: station(Int(random.next() % 6)), svid: svid, cvid: cvid,
                                       seed: UInt8(truncatingIfNeeded: index))
            before.process(frame, on: port)
            after.process(frame, on: port)
            // Port 1's own egress differs by design: its vNICs, not the port, are in VLAN 1.
            let outside = { (frame: EgressFrame) in !vnicEnabled || frame.port != 1 }
            #expect(vnicSink.take().filter(outside) == plainSink.take().filter(outside))
        }
        for port in ports where port != 1 || !vnicEnabled {
            #expect(before.counters(port: port) == after.counters(port: port))
        }
    }
}
