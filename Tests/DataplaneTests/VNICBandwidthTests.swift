import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes
import Testing

/// Each vNIC's bandwidth, metered in both directions by a token bucket holding a
/// millisecond at its rate and at least two full frames (3,044 bytes).
///
/// Port 1 runs at 10 Mbit/s; its vNIC 1.1 (S-VID 1) has 10 % of it, 1,000 kbit/s (125
/// bytes a millisecond), 1.2 (S-VID 2) 90 %. Port 2 is access VLAN 1, like both vNICs.
@Suite struct VNICBandwidthTests {
    static func makePipeline(_ sink: CollectingSink, clock: VirtualClock) throws -> ForwardingPipeline {
        var config = try BridgeConfiguration(portCount: 2)
        config.vnicEnabled = true
        config[port: 1].speed = 10
        VNICTest.addVNICs(&config, port: 1, [1: 1], percent: 10)
        VNICTest.addVNICs(&config, port: 1, [2: 2], percent: 90)
        return try ForwardingPipeline(configuration: config, egress: sink, clock: clock)
    }

    /// 60-byte frames (64 with the S-tag): 3,044 / 60 = 50 fit the full bucket.
    static let burst = 3044 / 60

    @Test func ingressOverTheRateIsDroppedAndCountedOnTheVNIC() throws {
        let sink = CollectingSink()
        let clock = VirtualClock()
        let pipeline = try Self.makePipeline(sink, clock: clock)
        // Station 2 behind port 2 is known: what 1.1 sends it goes there only.
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: station(2)), on: 2)
        _ = sink.take()
        for _ in 0..<60 { pipeline.process(VNICTest.frame(to: station(2), from: station(1), svid: 1), on: 1) }
        let vnic = try #require(pipeline.counters(vnic: BridgePort(port: 1, vnic: 1)))
        #expect(vnic.rxFrames == 60 && vnic.drops[.rateLimited] == UInt64(60 - Self.burst))
        #expect(sink.take().count == Self.burst)
        // 10 ms later the bucket has 1,250 bytes more: (3,044 - 50 × 60 + 1,250) / 60 = 21 frames.
        clock.advance(seconds: 0.010)
        for _ in 0..<30 { pipeline.process(VNICTest.frame(to: station(2), from: station(1), svid: 1), on: 1) }
        #expect(sink.take().count == (3044 - Self.burst * 60 + 1250) / 60)
        // The other vNIC (9,000 kbit/s) is not touched by 1.1's debt.
        for _ in 0..<40 { pipeline.process(VNICTest.frame(to: station(2), from: station(3), svid: 2), on: 1) }
        #expect(sink.take().count == 40)
        #expect(everyFrameAndVNICAccounted(pipeline))
    }

    @Test func egressOverTheRateIsNotSentAndCountedOnTheVNIC() throws {
        let sink = CollectingSink()
        let clock = VirtualClock()
        let pipeline = try Self.makePipeline(sink, clock: clock)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: station(1), svid: 1), on: 1)
        _ = sink.take()
        for _ in 0..<60 { pipeline.process(VNICTest.frame(to: station(1), from: station(2)), on: 2) }
        // The broadcast from 1.1 cost its ingress bucket, not its egress one.
        #expect(sink.take().count == Self.burst)
        let vnic = try #require(pipeline.counters(vnic: BridgePort(port: 1, vnic: 1)))
        #expect(vnic.txFrames == UInt64(Self.burst) && vnic.txRateLimited == UInt64(60 - Self.burst))
        #expect(pipeline.counters(port: 2).forwarded == 60)
    }
}
