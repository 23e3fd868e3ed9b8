import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes
import Testing

/// vNIC groups as a table: what enters a group's member or uplink leaves only at the
/// group's other member vNICs (S-tag pushed, inner tags intact) and its uplink (inner
/// tags intact, no outer tag); nothing crosses into another group or the rest.
///
/// The switch: vnicgroup 1 (VLAN 100): members 1.1 (S-VID 1) and 2.1 (S-VID 1), uplink 3.
/// vnicgroup 2 (VLAN 200): member 1.3 (S-VID 3), uplink 5. 1.2 (S-VID 2) is in no group,
/// access VLAN 1, as are ports 4 and 6 (6 a trunk of every VLAN).
@Suite struct VNICGroupTests {
    static func makeConfiguration() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 6)
        config.vnicEnabled = true
        VNICTest.addVNICs(&config, port: 1, [1: 1, 2: 2, 3: 3])
        VNICTest.addVNICs(&config, port: 2, [1: 1])
        config[port: 6].mode = .trunk
        var one = VNICGroup()
        one.vlan = 100
        one.members = [BridgePort(port: 1, vnic: 1), BridgePort(port: 2, vnic: 1)]
        one.uplink = 3
        one.isEnabled = true
        var two = VNICGroup()
        two.vlan = 200
        two.members = [BridgePort(port: 1, vnic: 3)]
        two.uplink = 5
        two.isEnabled = true
        config.vnicGroups = [1: one, 2: two]
        return config
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var port: Int
        var svid: UInt16?
        var cvid: UInt16?
        /// Egress: physical port and the S-VID pushed (nil: none); the inner tag is the ingress one.
        var expected: [(port: Int, svid: UInt16?)]
        var testDescription: String { "in \(port) S-VID \(svid.map(String.init) ?? "-") C-VID \(cvid.map(String.init) ?? "-")" }
    }

    static let rows: [Row] = [
        Row(port: 1, svid: 1, expected: [(2, 1), (3, nil)]),
        Row(port: 1, svid: 1, cvid: 7, expected: [(2, 1), (3, nil)]),
        Row(port: 1, svid: 1, cvid: 100, expected: [(2, 1), (3, nil)]),
        Row(port: 2, svid: 1, cvid: 4094, expected: [(1, 1), (3, nil)]),
        Row(port: 3, expected: [(1, 1), (2, 1)]),
        Row(port: 3, cvid: 55, expected: [(1, 1), (2, 1)]),
        Row(port: 3, cvid: 200, expected: [(1, 1), (2, 1)]),
        Row(port: 1, svid: 3, cvid: 100, expected: [(5, nil)]),
        Row(port: 5, cvid: 100, expected: [(1, 3)]),
        Row(port: 1, svid: 2, expected: [(4, nil), (6, nil)]),
        Row(port: 4, expected: [(1, 2), (6, nil)]),
        Row(port: 6, cvid: 100, expected: []),
        Row(port: 6, cvid: 200, expected: []),
    ]

    @Test(arguments: rows)
    func broadcastStaysInItsGroup(_ row: Row) throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink)
        let source = station(42)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: source, svid: row.svid, cvid: row.cvid), on: row.port)
        let expected = Set(row.expected.map {
            Egress(port: $0.port, bytes: VNICTest.frame(to: VNICTest.broadcast, from: source, svid: $0.svid, cvid: row.cvid))
        })
        #expect(sink.takeSet() == expected)
        #expect(everyFrameAndVNICAccounted(pipeline))
    }

    @Test func unicastThroughTheTunnelLearnsInTheGroupVLAN() throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink)
        let (vm, router) = (station(1), station(2))
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: vm, svid: 1, cvid: 7), on: 2)
        pipeline.process(VNICTest.frame(to: vm, from: router, cvid: 7, seed: 1), on: 3)
        #expect(sink.take().last == EgressFrame(port: 2, bytes: VNICTest.frame(to: vm, from: router, svid: 1, cvid: 7, seed: 1)))
        pipeline.process(VNICTest.frame(to: router, from: vm, svid: 1, cvid: 9, seed: 2), on: 2)
        #expect(sink.take() == [EgressFrame(port: 3, bytes: VNICTest.frame(to: router, from: vm, cvid: 9, seed: 2))])
        let entries = pipeline.macEntries().filter { $0.vlan == 100 }.map { "\($0.mac) \($0.bridgePort)" }
        #expect(Set(entries) == ["\(vm) 2.1", "\(router) 3"])
    }

    @Test func aDisabledGroupLeavesItsMembersToTheirOwnSwitchport() throws {
        var config = try Self.makeConfiguration()
        config.vnicGroups[1]!.isEnabled = false
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: config, egress: sink)
        let source = station(3)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: source, svid: 1), on: 1)
        // 1.1 is access VLAN 1 again, with 1.2, 2.1, ports 3 (no longer an uplink), 4 and 6.
        let expected: Set<Egress> = [
            Egress(port: 1, bytes: VNICTest.frame(to: VNICTest.broadcast, from: source, svid: 2)),
            Egress(port: 2, bytes: VNICTest.frame(to: VNICTest.broadcast, from: source, svid: 1)),
            Egress(port: 3, bytes: VNICTest.frame(to: VNICTest.broadcast, from: source)),
            Egress(port: 4, bytes: VNICTest.frame(to: VNICTest.broadcast, from: source)),
            Egress(port: 6, bytes: VNICTest.frame(to: VNICTest.broadcast, from: source)),
        ]
        #expect(sink.takeSet() == expected)
    }
}
