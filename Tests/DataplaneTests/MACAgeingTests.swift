import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Ageing in slices: bounded work per call, yet every expired entry goes within
/// the documented bound (two passes, 2 s of switch time, when called often).
@Suite struct MACAgeingTests {
    static let start = Timestamp(seconds: 1_700_000_000)

    /// Calls `age(at:)` every `step` nanoseconds from `from` for `seconds`, as the
    /// forwarding loop would; returns the time reached and the most one call removed.
    static func run(_ table: MACTable, from: Int64, seconds: Int, step: Int64 = 1_000_000) -> (Int64, Int) {
        var time = from
        var most = 0
        while time < from + Int64(seconds) * 1_000_000_000 {
            time += step
            most = max(most, table.age(at: Timestamp(nanoseconds: time)))
        }
        return (time, most)
    }

    @Test func everyExpiredEntryGoesWithinTheBoundAtAMillionSlots() {
        // 524,288 entries: 1,048,576 slots.
        let entries = 524_288
        let table = MACTable(limit: entries, ageingSeconds: 60)
        #expect(table.capacity == 1_048_576)
        for index in 0..<entries {
            // Half seen at the start, half 30 s later.
            let seen = Timestamp(seconds: MACAgeingTests.start.seconds + Int64(index % 2 * 30))
            #expect(table.learn(MACAddress(rawValue: 0x0200_0000_0000 | UInt64(index) << 4), vlan: 1,
                                port: index % 8 + 1, at: seen) == .learned)
        }
        _ = table.age(at: MACAgeingTests.start)
        let epoch = table.epoch

        // Just before the first half expires, ageing removes nothing.
        var (time, _) = MACAgeingTests.run(table, from: MACAgeingTests.start.nanoseconds, seconds: 59)
        #expect(table.dynamicCount == entries && table.epoch == epoch)

        // Expired at 60 s: all of the first half gone within the bound, none of the second.
        var most: Int
        (time, most) = MACAgeingTests.run(table, from: time, seconds: 1 + 2)
        #expect(table.dynamicCount == entries / 2)
        #expect((1...8).reduce(0) { $0 + table.dynamicCount(port: $1) } == entries / 2)
        #expect(most <= MACTable.ageingSliceRemovals)
        // Removing entries advanced the epoch (cached entries are not trusted).
        #expect(table.epoch != epoch)

        // The rest, 30 s later.
        (time, _) = MACAgeingTests.run(table, from: time, seconds: 30)
        #expect(table.dynamicCount == 0)
        #expect(table.entries(at: Timestamp(nanoseconds: time)).isEmpty)
    }

    @Test func oneCallVisitsABoundedSlice() {
        let table = MACTable(limit: 65536, ageingSeconds: 10)
        for index in 0..<65536 {
            table.learn(MACAddress(rawValue: 0x0200_0000_0000 | UInt64(index) << 4), vlan: 1, port: 1,
                        at: MACAgeingTests.start)
        }
        _ = table.age(at: MACAgeingTests.start)
        // A long gap owes a whole pass, but one call does only a slice of it.
        let later = Timestamp(seconds: MACAgeingTests.start.seconds + 1000)
        let removed = table.age(at: later)
        #expect(removed > 0 && removed <= MACTable.ageingSliceRemovals)
        #expect(table.isAgeingBehind)
        #expect(table.dynamicCount == 65536 - removed)
        // Called every millisecond, as the idle engine does while behind, it catches up within the bound.
        let (time, _) = MACAgeingTests.run(table, from: later.nanoseconds, seconds: 2)
        #expect(table.dynamicCount == 0 && !table.isAgeingBehind)
        let later2 = Timestamp(nanoseconds: time)
        // What is hidden is hidden at once, swept or not.
        table.learn(station(1), vlan: 1, port: 2, at: later2)
        #expect(table.entries(at: Timestamp(seconds: later2.seconds + 10)).isEmpty)
        #expect(table.port(for: station(1), vlan: 1, at: Timestamp(seconds: later2.seconds + 10)) == nil)
    }

    @Test func ageingZeroVisitsNothing() {
        let table = MACTable(limit: 64, ageingSeconds: 0)
        table.learn(station(1), vlan: 1, port: 1, at: MACAgeingTests.start)
        _ = MACAgeingTests.run(table, from: MACAgeingTests.start.nanoseconds, seconds: 5, step: 100_000_000)
        #expect(table.age(at: Timestamp(seconds: MACAgeingTests.start.seconds + 1_000_000)) == 0)
        #expect(table.dynamicCount == 1 && !table.isAgeingBehind)
    }
}
