import Testing
@testable import Dataplane
import FrameTestSupport

/// Token buckets per station on the virtual clock: profile shaping (committed
/// and peak buckets) and `vmbwidth` rate limits, both directions. Frames are 60
/// bytes; 1 kbyte = 1024 bytes, 1 kbit = 1000 bits.
@Suite struct StationPolicingTests {
    /// Sends `count` 60-byte frames from vm(1) on port 1, `gap` seconds apart.
    /// - Returns: how many left the switch.
    func sendFromVM(_ sw: PolicyTestSwitch, count: Int, gap: Double = 0) -> Int {
        var passed = 0
        for _ in 0..<count {
            passed += sw.send(FrameBuilder(destination: station(9), source: vm(1)), on: 1).count
            sw.clock.advance(seconds: gap)
        }
        return passed
    }

    @Test func aBurstAboveTheRateIsCutAtTheBucketSize() throws {
        let sw = try PolicyTestSwitch { config in
            config.stationPolicies[vm(1)] = StationPolicy(
                ingressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 128))
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6)
        // 1024 bytes of tokens: 17 frames of 60 bytes, then nothing at this instant.
        #expect(sendFromVM(sw, count: 20) == 17)
        #expect(sw.pipeline.counters(port: 1).drops[.rateLimited] == 3)
        #expect(sw.statistics(vm(1))?.ingressPolicedDrops == 3)
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func theBucketRefillsWithTime() throws {
        let sw = try PolicyTestSwitch { config in
            config.stationPolicies[vm(1)] = StationPolicy(
                ingressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 128))
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6)
        #expect(sendFromVM(sw, count: 17) == 17)
        #expect(sendFromVM(sw, count: 1) == 0)
        // 64 kbit/s is 8000 bytes/s: the 4 bytes left need 7 ms more to make 60.
        sw.clock.advance(seconds: 0.006)
        #expect(sendFromVM(sw, count: 1) == 0)
        sw.clock.advance(seconds: 0.001)
        #expect(sendFromVM(sw, count: 1) == 1)
        // A long idle time fills the bucket to its size, no more (and does not overflow).
        sw.clock.advance(seconds: 86_400 * 365)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6) // aged out meanwhile
        #expect(sendFromVM(sw, count: 20) == 17)
    }

    @Test func belowTheRateEverythingPasses() throws {
        let sw = try PolicyTestSwitch { config in
            config.stationPolicies[vm(1)] = StationPolicy(
                ingressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 64))
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6)
        // One frame every 10 ms is 48 kbit/s.
        #expect(sendFromVM(sw, count: 500, gap: 0.010) == 500)
        // One every 5 ms is 96 kbit/s: a third is dropped once the burst is spent.
        let passed = sendFromVM(sw, count: 600, gap: 0.005)
        #expect((390...420).contains(passed))
    }

    @Test func thePeakBucketLimitsABurstTheCommittedOneWouldAllow() throws {
        let sw = try PolicyTestSwitch { config in
            config.stationPolicies[vm(1)] = StationPolicy(
                ingressShaping: Shaping(averageKbps: 64, burstKBytes: 4096, peakKbps: 64))
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6)
        // The peak bucket holds max(1600 bytes, 1 ms at 64 kbit/s): 26 frames.
        #expect(sendFromVM(sw, count: 30) == 26)
    }

    @Test func egressShapingPolicesKnownUnicastToTheStation() throws {
        let sw = try PolicyTestSwitch { config in
            config.stationPolicies[vm(1)] = StationPolicy(
                egressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 128))
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        var passed = 0
        for _ in 0..<20 { passed += sw.send(FrameBuilder(destination: vm(1), source: station(9)), on: 6).count }
        #expect(passed == 17)
        #expect(sw.pipeline.counters(port: 6).drops[.rateLimited] == 3)
        #expect(sw.statistics(vm(1))?.egressPolicedDrops == 3)
        // Its own sending is not limited.
        #expect(sendFromVM(sw, count: 40) == 40)
    }

    @Test func rateLimitsApplyInBothDirections() throws {
        let sw = try PolicyTestSwitch { config in
            config.stationPolicies[vm(1)] = StationPolicy(
                ingressLimit: RateLimit(rateKbps: 64, burstKBytes: 1),
                egressLimit: RateLimit(rateKbps: 128, burstKBytes: 2))
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6)
        #expect(sendFromVM(sw, count: 20) == 17)
        var received = 0
        for _ in 0..<40 { received += sw.send(FrameBuilder(destination: vm(1), source: station(9)), on: 6).count }
        #expect(received == 34) // 2048 bytes
        // Flooded frames towards the station's port are not charged to it.
        #expect(sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6).count == 5)
        let stats = try #require(sw.statistics(vm(1)))
        #expect(stats.ingressPolicedDrops == 3 && stats.egressPolicedDrops == 6)
        // After a second both buckets are full again.
        sw.clock.advance(seconds: 1)
        #expect(sendFromVM(sw, count: 17) == 17)
    }

    @Test func changingOtherPoliciesKeepsTheTokens() throws {
        let sw = try PolicyTestSwitch { config in
            config.stationPolicies[vm(1)] = StationPolicy(ingressLimit: RateLimit(rateKbps: 64, burstKBytes: 1))
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6)
        #expect(sendFromVM(sw, count: 17) == 17)
        try sw.reconfigure { $0.stationPolicies[vm(2)] = StationPolicy(vlan: 100) }
        #expect(sendFromVM(sw, count: 1) == 0)
        #expect(sw.statistics(vm(1))?.ingressPolicedDrops == 1)
        // A new limit starts full.
        try sw.reconfigure { $0.stationPolicies[vm(1)]?.ingressLimit = RateLimit(rateKbps: 128, burstKBytes: 1) }
        #expect(sendFromVM(sw, count: 1) == 1)
    }
}
