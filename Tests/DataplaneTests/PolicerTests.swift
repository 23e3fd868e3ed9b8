import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// The policer's virtual-scheduling arithmetic on its own, where the switch's
/// tests cannot reach: rate accuracy at both ends of the range, every bucket
/// holding the frame, and a due time from before the clock wrapped. Time is in
/// `Policer.time` units.
@Suite struct PolicerTests {
    static let millisecond = Policer.time(nanoseconds: 1_000_000)

    /// Bytes admitted when offering `frame`-byte frames back to back for `seconds`,
    /// one every `gap` nanoseconds.
    func admittedBytes(_ policer: inout Policer, frame: Int, gapNanoseconds: Int64, seconds: Int64) -> Int {
        var admitted = 0
        var now: Int64 = 5_000_000_000
        let end = now + seconds * 1_000_000_000
        while now < end {
            if policer.admit(length: frame, at: Policer.time(nanoseconds: now)) { admitted += frame }
            now += gapNanoseconds
        }
        return admitted
    }

    /// Frames of `count` admitted at one instant.
    func admitted(_ policer: inout Policer, count: Int, length: Int, at time: UInt64) -> Int {
        (0..<count).reduce(0) { passed, _ in passed + (policer.admit(length: length, at: time) ? 1 : 0) }
    }

    @Test func theRateHoldsAtTenGigabitsAndAt64Kilobits() {
        // 10 Gbit/s offered at 12.5 Gbit/s (1250-byte frames every 800 ns) for a second:
        // 1.25e9 bytes pass, plus the 2 kbyte burst, within 1 in 10,000.
        var fast = Policer(Policer.buckets(shaping: nil, limit: RateLimit(rateKbps: 10_000_000, burstKBytes: 2)),
                           at: 0)
        let fastBytes = admittedBytes(&fast, frame: 1250, gapNanoseconds: 800, seconds: 1)
        #expect(abs(Double(fastBytes - 2048) - 1.25e9) < 1.25e5)
        // 64 kbit/s is 8000 bytes a second: 64-byte frames every millisecond for 10 s.
        var slow = Policer(Policer.buckets(shaping: nil, limit: RateLimit(rateKbps: 64, burstKBytes: 1)), at: 0)
        let slowBytes = admittedBytes(&slow, frame: 64, gapNanoseconds: 1_000_000, seconds: 10)
        #expect(abs(slowBytes - 80_000 - 1024) <= 64)
    }

    @Test func everyBucketMustHoldTheFrame() {
        // Committed 1 kbyte at 64 kbit/s; peak 1600 bytes at 128 kbit/s.
        let start = Policer.time(nanoseconds: 1_000_000_000)
        let shaping = Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 128)
        var policer = Policer(Policer.buckets(shaping: shaping, limit: nil), at: start)
        #expect(admitted(&policer, count: 17, length: 60, at: start) == 17)
        #expect(admitted(&policer, count: 1, length: 60, at: start) == 0)
        // The committed bucket (8 bytes/ms) is the short one: 7 ms for the missing 56 bytes.
        #expect(admitted(&policer, count: 1, length: 60, at: start &+ 6 * PolicerTests.millisecond) == 0)
        #expect(admitted(&policer, count: 1, length: 60, at: start &+ 7 * PolicerTests.millisecond) == 1)
        #expect(Policer(Policer.buckets(shaping: nil, limit: nil), at: start).isConfigured == false)
    }

    @Test func aDueTimeFromBeforeTheClockWrappedReadsAsAFullBucket() {
        let start = UInt64.max &- 3 * PolicerTests.millisecond
        var policer = Policer(Policer.buckets(shaping: nil, limit: RateLimit(rateKbps: 64, burstKBytes: 1)),
                              at: start)
        #expect(admitted(&policer, count: 16, length: 64, at: start) == 16)
        #expect(admitted(&policer, count: 1, length: 64, at: start) == 0)
        // Across the wrap of the unit clock, 8 ms refill one frame's worth...
        #expect(admitted(&policer, count: 1, length: 64, at: start &+ 8 * PolicerTests.millisecond) == 1)
        #expect(admitted(&policer, count: 1, length: 64, at: start &+ 8 * PolicerTests.millisecond) == 0)
        // ...and half a wrap later the old due time is no debt.
        let later = start &+ (UInt64(1) << 63)
        #expect(admitted(&policer, count: 16, length: 64, at: later) == 16)
    }
}
