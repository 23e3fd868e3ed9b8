import Frames
import Testing
@testable import Dataplane
import FrameTestSupport

/// VLAN behaviour as a table, in the manner of Open vSwitch's ofproto-dpif tests:
/// each row is (in-port, tag) → the ports and tags a broadcast leaves with.
///
/// The switch:   p1, p2 access 10 · p3 access 20 · p4 trunk (all, native 1) ·
/// p5 trunk 10,20 native 20 · p6 trunk 10,30 (native 1 not allowed) ·
/// p7 access 1 · p8 access 10, shut down. VLANs 1, 10, 20, 30 exist.
@Suite struct VLANBehaviourTests {
    enum Tag: CustomStringConvertible {
        case untagged
        case vid(UInt16)
        var description: String {
            switch self {
            case .untagged: "untagged"
            case .vid(let vid): "vid \(vid)"
            }
        }
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var inPort: Int
        var tag: UInt16?       // nil: untagged; 0: priority-tagged
        var expected: [Int: UInt16?]   // egress port → tag (nil = untagged)
        var drop: DropReason?
        var testDescription: String { "in \(inPort) tag \(tag.map(String.init) ?? "none")" }
    }

    static func makeConfiguration() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 8)
        for vlan: UInt16 in [10, 20, 30] { try config.vlans.create(vlan) }
        config[port: 1].accessVLAN = 10
        config[port: 2].accessVLAN = 10
        config[port: 3].accessVLAN = 20
        config[port: 4].mode = .trunk
        config[port: 5].mode = .trunk
        config[port: 5].trunkAllowedVLANs = VLANSet([10, 20])
        config[port: 5].nativeVLAN = 20
        config[port: 6].mode = .trunk
        config[port: 6].trunkAllowedVLANs = VLANSet([10, 30])
        config[port: 8].accessVLAN = 10
        config[port: 8].isEnabled = false
        return config
    }

    static let rows: [Row] = [
        Row(inPort: 1, tag: nil, expected: [2: nil, 4: 10, 5: 10, 6: 10]),
        Row(inPort: 1, tag: 10, expected: [2: nil, 4: 10, 5: 10, 6: 10]),
        Row(inPort: 1, tag: 0, expected: [2: nil, 4: 10, 5: 10, 6: 10]),
        Row(inPort: 1, tag: 20, expected: [:], drop: .vlanNotAllowed),
        Row(inPort: 2, tag: nil, expected: [1: nil, 4: 10, 5: 10, 6: 10]),
        Row(inPort: 3, tag: nil, expected: [4: 20, 5: nil]),
        Row(inPort: 3, tag: 10, expected: [:], drop: .vlanNotAllowed),
        Row(inPort: 4, tag: nil, expected: [7: nil]),
        Row(inPort: 4, tag: 1, expected: [7: nil]),
        Row(inPort: 4, tag: 10, expected: [1: nil, 2: nil, 5: 10, 6: 10]),
        Row(inPort: 4, tag: 20, expected: [3: nil, 5: nil]),
        Row(inPort: 4, tag: 30, expected: [6: 30]),
        Row(inPort: 4, tag: 40, expected: [:], drop: .vlanNotAllowed),
        Row(inPort: 4, tag: 4095, expected: [:], drop: .vlanNotAllowed),
        Row(inPort: 5, tag: nil, expected: [3: nil, 4: 20]),
        Row(inPort: 5, tag: 20, expected: [3: nil, 4: 20]),
        Row(inPort: 5, tag: 10, expected: [1: nil, 2: nil, 4: 10, 6: 10]),
        Row(inPort: 5, tag: 30, expected: [:], drop: .vlanNotAllowed),
        Row(inPort: 6, tag: nil, expected: [:], drop: .vlanNotAllowed),
        Row(inPort: 6, tag: 30, expected: [4: 30]),
        Row(inPort: 6, tag: 0, expected: [:], drop: .vlanNotAllowed),
        Row(inPort: 7, tag: nil, expected: [4: nil]),
        Row(inPort: 7, tag: 10, expected: [:], drop: .vlanNotAllowed),
        Row(inPort: 8, tag: nil, expected: [:], drop: .portDown),
    ]

    @Test(arguments: rows)
    func broadcastFloodsWithTheRightTags(row: Row) throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink,
                                              clock: VirtualClock())
        let frame = FrameBuilder(destination: .broadcast, source: station(100), vlan: row.tag)
        pipeline.process(frame, on: row.inPort)

        let egress = sink.take()
        var seen: [Int: UInt16?] = [:]
        for out in egress {
            #expect(seen[out.port] == nil, "port \(out.port) sent twice")
            seen[out.port] = out.vlanTag
            // The payload is untouched whatever the tagging.
            #expect(Array(out.bytes.suffix(46)) == frame.payload)
            #expect(Array(out.bytes.prefix(12)) == Array(frame.bytes.prefix(12)))
        }
        #expect(seen == row.expected)
        let counters = pipeline.counters(port: row.inPort)
        #expect(counters.rxFrames == 1)
        if let drop = row.drop {
            #expect(counters.drops == [drop: 1])
        } else {
            #expect(counters.flooded == 1 && counters.dropped == 0)
        }
        #expect(everyFrameAccounted(pipeline))
    }

    @Test(arguments: [(1, 2, 10, nil), (1, 4, 10, 10), (4, 5, 20, nil), (5, 3, 20, nil), (6, 4, 30, 30),
                      (4, 7, 1, nil), (5, 6, 10, 10)] as [(Int, Int, UInt16, UInt16?)])
    func knownUnicastGoesToOnePortWithItsTagging(from: Int, to: Int, vlan: UInt16, egressTag: UInt16?) throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink,
                                              clock: VirtualClock())
        let config = pipeline.configuration
        func tagOn(_ port: Int) -> UInt16? {
            let settings = config[port: port]
            return settings.mode == .access || settings.nativeVLAN == vlan ? nil : vlan
        }
        // The destination speaks first so that it is learned.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(2), vlan: tagOn(to)), on: to)
        _ = sink.take()
        pipeline.process(FrameBuilder(destination: station(2), source: station(1), vlan: tagOn(from)), on: from)
        let egress = sink.take()
        #expect(egress.map(\.port) == [to])
        #expect(egress.first?.vlanTag == egressTag)
        #expect(pipeline.counters(port: from).forwarded == 1)
        // And back: the reply is known unicast too, never flooded.
        pipeline.process(FrameBuilder(destination: station(1), source: station(2), vlan: tagOn(to)), on: to)
        #expect(sink.take().map(\.port) == [from])
        // Towards the port it came from: filtered, never sent back.
        pipeline.process(FrameBuilder(destination: station(2), source: station(3), vlan: tagOn(to)), on: to)
        #expect(sink.take().isEmpty)
        #expect(pipeline.counters(port: to).filtered == 1)
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func priorityBitsArePreservedWhenRetagged() throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink,
                                              clock: VirtualClock())
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1), vlan: 0, priority: 5), on: 1)
        let trunk = try #require(sink.frames.first { $0.port == 4 })
        #expect(trunk.bytes[14] >> 5 == 5)
        #expect(trunk.vlanTag == 10)
        #expect(trunk.bytes.count == 64)
        let access = try #require(sink.frames.first { $0.port == 2 })
        #expect(access.bytes.count == 60 && access.vlanTag == nil)
    }

    @Test func linkLocalFramesArePunted() throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink,
                                              clock: VirtualClock())
        for last: UInt64 in 0...0x10 {
            pipeline.process(FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_0000 | last),
                                          source: station(1)), on: 1)
        }
        // 01:80:c2:00:00:10 is not link-local: it floods.
        #expect(sink.frames.count == 4)
        #expect(pipeline.counters(port: 1).punted == 16)
        #expect(pipeline.counters(port: 1).flooded == 1)
        #expect(pipeline.macTable.count == 1) // learned only from the forwarded frame
    }

    @Test func configurationChangeMovesPortsBetweenVLANs() throws {
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink,
                                              clock: VirtualClock())
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(2)), on: 2)
        #expect(pipeline.macTable.count == 1)
        var config = pipeline.configuration
        config[port: 2].accessVLAN = 20
        try pipeline.apply(config)
        // Port 2 left VLAN 10: its learned station goes with it.
        #expect(pipeline.macTable.count == 0)
        _ = sink.take()
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 3)
        #expect(Set(sink.take().map(\.port)) == [2, 4, 5])

        // Deleting a VLAN leaves its access ports unable to carry traffic.
        try config.vlans.delete(20)
        try pipeline.apply(config)
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 3)
        #expect(pipeline.counters(port: 3).drops[.vlanNotAllowed] == 1)
        #expect(sink.take().isEmpty)

        var wrong = config
        wrong.macLimit = 0
        #expect(throws: BridgeConfigurationError.invalidMACLimit(0)) { try pipeline.apply(wrong) }
        #expect(pipeline.configuration == config)
    }
}
