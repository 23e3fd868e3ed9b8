import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Token buckets per station on the virtual clock: profile shaping (committed
/// and peak buckets) and `vmbwidth` rate limits, both directions. Frames are 60
/// bytes; 1 kbyte = 1024 bytes, 1 kbit = 1000 bits. A direction with shaping and
/// a limit has three buckets, the third kept apart (see `Policer`).
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

    /// A switch where vm(1) has `policy`, and station(9), which it sends to, is known on p6.
    func switchWhereVMSends(under policy: StationPolicy) throws -> PolicyTestSwitch {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(1)] = policy }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6)
        return sw
    }

    @Test func aBurstAboveTheRateIsCutAtTheBucketSize() throws {
        let sw = try switchWhereVMSends(under: StationPolicy(
            ingressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 128)))
        // 1024 bytes of tokens: 17 frames of 60 bytes, then nothing at this instant.
        #expect(sendFromVM(sw, count: 20) == 17)
        #expect(sw.pipeline.counters(port: 1).drops[.rateLimited] == 3)
        #expect(sw.statistics(vm(1))?.ingressPolicedDrops == 3)
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func theBucketRefillsWithTime() throws {
        let sw = try switchWhereVMSends(under: StationPolicy(
            ingressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 128)))
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
        let sw = try switchWhereVMSends(under: StationPolicy(
            ingressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 64)))
        // One frame every 10 ms is 48 kbit/s.
        #expect(sendFromVM(sw, count: 500, gap: 0.010) == 500)
        // One every 5 ms is 96 kbit/s: a third is dropped once the burst is spent.
        let passed = sendFromVM(sw, count: 600, gap: 0.005)
        #expect((390...420).contains(passed))
    }

    @Test func thePeakBucketLimitsABurstTheCommittedOneWouldAllow() throws {
        let sw = try switchWhereVMSends(under: StationPolicy(
            ingressShaping: Shaping(averageKbps: 64, burstKBytes: 4096, peakKbps: 64)))
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
        let sw = try switchWhereVMSends(under: StationPolicy(ingressLimit: RateLimit(rateKbps: 64, burstKBytes: 1),
                                                             egressLimit: RateLimit(rateKbps: 128, burstKBytes: 2)))
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
        let sw = try switchWhereVMSends(under: StationPolicy(ingressLimit: RateLimit(rateKbps: 64, burstKBytes: 1)))
        #expect(sendFromVM(sw, count: 17) == 17)
        try sw.reconfigure { $0.stationPolicies[vm(2)] = StationPolicy(vlan: 100) }
        #expect(sendFromVM(sw, count: 1) == 0)
        #expect(sw.statistics(vm(1))?.ingressPolicedDrops == 1)
        // A new limit starts full.
        try sw.reconfigure { $0.stationPolicies[vm(1)]?.ingressLimit = RateLimit(rateKbps: 128, burstKBytes: 1) }
        #expect(sendFromVM(sw, count: 1) == 1)
    }

    @Test func aThirdBucketBindsBeyondTheShapingAndFollowsItsOwnRate() throws {
        let sw = try switchWhereVMSends(under: StationPolicy(
            ingressShaping: Shaping(averageKbps: 1000, burstKBytes: 4, peakKbps: 2000),
            ingressLimit: RateLimit(rateKbps: 64, burstKBytes: 1)))
        // The 1 kbyte limit bucket, not the 4 kbyte committed one, cuts the burst at 17 frames.
        #expect(sendFromVM(sw, count: 20) == 17)
        // 7 ms refill the limit's 56 missing bytes; a denied frame debited no bucket.
        sw.clock.advance(seconds: 0.007)
        #expect(sendFromVM(sw, count: 2) == 1)
        #expect(sw.statistics(vm(1))?.ingressPolicedDrops == 4)
    }

    @Test func aChangedThirdBucketKeepsTheShapingsState() throws {
        let sw = try switchWhereVMSends(under: StationPolicy(
            ingressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 128),
            ingressLimit: RateLimit(rateKbps: 1000, burstKBytes: 4)))
        #expect(sendFromVM(sw, count: 17) == 17)
        // The committed bucket stays empty across the change; only the limit is new.
        try sw.reconfigure { $0.stationPolicies[vm(1)]?.ingressLimit = RateLimit(rateKbps: 2000, burstKBytes: 4) }
        #expect(sendFromVM(sw, count: 1) == 0)
    }

    @Test func aClockGoingBackRefillsNothing() throws {
        let sw = try switchWhereVMSends(under: StationPolicy(ingressLimit: RateLimit(rateKbps: 64, burstKBytes: 1)))
        let start = sw.clock.now()
        #expect(sendFromVM(sw, count: 17) == 17)
        // A replay an hour back, then forward to 1 ms after the start: 8 bytes of refill only.
        sw.clock.set(Timestamp(nanoseconds: start.nanoseconds - 3_600_000_000_000))
        #expect(sendFromVM(sw, count: 1) == 0)
        sw.clock.set(Timestamp(nanoseconds: start.nanoseconds + 1_000_000))
        #expect(sendFromVM(sw, count: 1) == 0)
        #expect(sw.statistics(vm(1))?.ingressPolicedDrops == 2)
    }
}
