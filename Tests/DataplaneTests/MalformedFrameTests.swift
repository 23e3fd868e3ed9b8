import Frames
import Testing
@testable import Dataplane
import FrameTestSupport

/// Hostile and odd frames: nothing crashes, every frame is counted once.
@Suite struct MalformedFrameTests {
    func makePipeline(_ sink: CollectingSink) throws -> ForwardingPipeline {
        var config = try BridgeConfiguration(portCount: 4)
        try config.vlans.create(5)
        config[port: 1].accessVLAN = 5
        config[port: 2].mode = .trunk
        config[port: 3].accessVLAN = 5
        return try ForwardingPipeline(configuration: config, egress: sink, clock: VirtualClock())
    }

    @Test func everyTruncationFrom0To64Bytes() throws {
        let sink = CollectingSink()
        let pipeline = try makePipeline(sink)
        var inner = FrameBuilder(destination: .broadcast, source: station(1))
        inner.tags = [(EtherType.serviceVLAN, VLANTag(vid: 9).tci), (EtherType.vlan, VLANTag(vid: 5).tci)]
        let sources = [
            FrameBuilder(destination: .broadcast, source: station(1)).bytes,
            FrameBuilder(destination: .broadcast, source: station(2), vlan: 5).bytes,
            inner.bytes,
            FrameBuilder.arp(operation: 1, senderMAC: station(3), senderIP: IPv4Address(198, 18, 0, 3),
                             targetMAC: .zero, targetIP: IPv4Address(198, 18, 0, 4)).bytes,
            FrameBuilder.udp(from: station(4), to: station(5), sourceIP: IPv4Address(198, 18, 0, 4),
                             destinationIP: IPv4Address(198, 18, 0, 5), sourcePort: 1, destinationPort: 2).bytes,
        ]
        var received: UInt64 = 0
        for source in sources {
            for length in 0...64 {
                let frame = Array(source.prefix(length))
                pipeline.process(frame, on: 2)
                received += 1
                // The parser agrees with the pipeline on what is malformed.
                _ = try? frame.withUnsafeBytes { try ParsedFrame(parsing: $0) }
            }
        }
        let counters = pipeline.counters(port: 2)
        #expect(counters.rxFrames == received)
        #expect(counters.accounted == received)
        // Below 14 bytes (14 lengths) per source, plus the cut tags.
        #expect(counters.drops[.malformed, default: 0] >= 5 * 14)
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func tagWithNothingAfterIt() throws {
        let sink = CollectingSink()
        let pipeline = try makePipeline(sink)
        let header = station(9).octets + station(1).octets
        pipeline.process(header + [0x81, 0x00], on: 2)                 // TPID only
        pipeline.process(header + [0x81, 0x00, 0x00, 0x05], on: 2)     // TPID + TCI, no type
        pipeline.process(header + [0x88, 0xa8, 0x00, 0x05], on: 2)     // S-tag, no type
        pipeline.process(header + [0x88, 0xa8, 0x00, 0x05, 0x81, 0x00, 0x00], on: 2) // cut C-tag inside
        #expect(pipeline.counters(port: 2).drops == [.malformed: 4])
        // A complete tag and type with an empty payload is a (tiny) frame: it floods.
        pipeline.process(header + [0x81, 0x00, 0x00, 0x05, 0x88, 0xb5], on: 2)
        #expect(pipeline.counters(port: 2).flooded == 1)
        #expect(sink.frames.allSatisfy { $0.bytes.count == 14 })
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func fiveStackedTags() throws {
        let sink = CollectingSink()
        let pipeline = try makePipeline(sink)
        var frame = FrameBuilder(destination: .broadcast, source: station(1))
        frame.tags = (0..<5).map { (EtherType.vlan, VLANTag(vid: 5 + UInt16($0)).tci) }
        pipeline.process(frame, on: 2)
        // Only the outer tag classifies (VLAN 5); the inner ones are payload and
        // survive untouched when the outer tag is removed for the access port.
        #expect(pipeline.counters(port: 2).flooded == 1)
        #expect(sink.frames.map(\.port) == [1, 3])
        var expected = frame
        expected.tags.removeFirst()
        #expect(sink.frames.allSatisfy { $0.bytes == expected.bytes })
        let parsed = try frame.bytes.withUnsafeBytes { try ParsedFrame(parsing: $0) }
        #expect(parsed.customerTag?.vid == 5 && parsed.etherType == EtherType.vlan)
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func jumboFramesPassIntact() throws {
        let sink = CollectingSink()
        let pipeline = try makePipeline(sink)
        var frame = FrameBuilder(destination: .broadcast, source: station(1))
        frame.payload = (0..<(9000 - 14)).map { UInt8(truncatingIfNeeded: $0) }
        pipeline.process(frame, on: 1)
        #expect(sink.frames.count == 2)
        let trunk = try #require(sink.frames.first { $0.port == 2 })
        #expect(trunk.bytes.count == 9004 && trunk.vlanTag == 5)
        #expect(sink.frames.first { $0.port == 3 }?.bytes == frame.bytes)
        // Oversized beyond any capture: malformed, not a crash.
        pipeline.process(Array(repeating: 0, count: ForwardingPipeline.maximumFrameLength + 1), on: 1)
        #expect(pipeline.counters(port: 1).drops == [.malformed: 1])
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func randomBytesNeverCrash() throws {
        let sink = CollectingSink()
        let pipeline = try makePipeline(sink)
        var generator = SystemRandomNumberGenerator()
        for index in 0..<5000 {
            var bytes = (0..<Int.random(in: 0...128, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Bias towards interesting type fields.
            if bytes.count >= 14, index % 2 == 0 {
                let types: [UInt16] = [0x8100, 0x88a8, 0x0806, 0x8035, 0x0800]
                let type = types[index / 2 % types.count]
                bytes[12] = UInt8(type >> 8)
                bytes[13] = UInt8(type & 0xff)
            }
            pipeline.process(bytes, on: index % 4 + 1)
            _ = try? bytes.withUnsafeBytes { try ParsedFrame(parsing: $0) }
        }
        #expect(pipeline.allCounters().map(\.rxFrames).reduce(0, +) == 5000)
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func sinkRefusalsAreCountedOnTheEgressPort() throws {
        let sink = CollectingSink()
        sink.refusingPorts = [3]
        let pipeline = try makePipeline(sink)
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 1)
        #expect(pipeline.counters(port: 3).txDropped == 1)
        #expect(pipeline.counters(port: 2).txFrames == 1)
        #expect(pipeline.counters(port: 2).txBytes == 64)
    }
}
