import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes
import Testing

/// I/O-extender mode as a table: frames go between an io-extender port and its upstream
/// unchanged, S-tags and all; nothing is switched locally.
///
/// The switch: port 1 in io-extender mode (vNICs S-VID 1 and 2) and port 2 (vNIC S-VID 5),
/// both with upstream 3; ports 3 and 4 access VLAN 1.
@Suite struct VNICIOExtenderTests {
    static func makeConfiguration() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 4)
        config.vnicEnabled = true
        VNICTest.addVNICs(&config, port: 1, [1: 1, 2: 2], mode: .ioExtender(upstream: 3))
        VNICTest.addVNICs(&config, port: 2, [1: 5], mode: .ioExtender(upstream: 3))
        return config
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var port: Int
        var svid: UInt16?
        var cvid: UInt16?
        var expected: [Int]
        var testDescription: String { "in \(port) S-VID \(svid.map(String.init) ?? "-") C-VID \(cvid.map(String.init) ?? "-")" }
    }

    static let rows: [Row] = [
        Row(port: 1, svid: 1, expected: [3]),
        Row(port: 1, svid: 2, cvid: 10, expected: [3]),
        Row(port: 1, svid: 9, expected: [3]),
        Row(port: 1, expected: [3]),
        Row(port: 1, cvid: 1, expected: [3]),
        Row(port: 2, svid: 5, expected: [3]),
        Row(port: 3, svid: 1, expected: [1]),
        Row(port: 3, svid: 2, cvid: 33, expected: [1]),
        Row(port: 3, svid: 5, expected: [2]),
        // Not one of the io-extender ports' S-VIDs: the upstream's own frame, in its VLAN 1.
        Row(port: 3, svid: 9, expected: [4]),
        Row(port: 3, expected: [4]),
        Row(port: 4, expected: [3]),
        Row(port: 4, svid: 1, expected: [3]),
    ]

    @Test(arguments: rows)
    func framesCrossUnchanged(_ row: Row) throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink)
        let frame = VNICTest.frame(to: VNICTest.broadcast, from: station(8), svid: row.svid, cvid: row.cvid)
        pipeline.process(frame, on: row.port)
        #expect(sink.takeSet() == Set(row.expected.map { Egress(port: $0, bytes: frame) }))
        #expect(everyFrameAndVNICAccounted(pipeline))
    }

    @Test func noLocalSwitchingEvenForKnownStations() throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink)
        let (a, b) = (station(1), station(2))
        // b behind 1 (vNIC S-VID 2) and a behind 1 (S-VID 1): a → b still leaves the upstream.
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: b, svid: 2), on: 1)
        _ = sink.take()
        let frame = VNICTest.frame(to: b, from: a, svid: 1, seed: 1)
        pipeline.process(frame, on: 1)
        #expect(sink.take() == [EgressFrame(port: 3, bytes: frame)])
        #expect(pipeline.macEntries().isEmpty)
        // Counted per vNIC both ways.
        let back = VNICTest.frame(to: a, from: b, svid: 1, seed: 2)
        pipeline.process(back, on: 3)
        #expect(sink.take() == [EgressFrame(port: 1, bytes: back)])
        let vnic = try #require(pipeline.counters(vnic: BridgePort(port: 1, vnic: 1)))
        #expect(vnic.rxFrames == 1 && vnic.forwarded == 1 && vnic.txFrames == 1 && vnic.txBytes == 64)
        #expect(pipeline.counters(port: 1).toVNIC == 2 && pipeline.counters(port: 3).forwarded == 1)
    }

    @Test func aDownUpstreamDropsTheFrames() throws {
        var config = try Self.makeConfiguration()
        config[port: 3].isEnabled = false
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: config, egress: sink)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: station(1)), on: 1)
        #expect(sink.take().isEmpty)
        #expect(pipeline.counters(port: 1).drops[.destinationUnavailable] == 1)
    }
}
