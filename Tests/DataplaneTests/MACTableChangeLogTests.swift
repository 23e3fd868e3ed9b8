import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// What the MAC table tells a copy of itself (the XDP fast path's station map): every
/// entry added, moved or removed, nothing for a refresh, a resync when too much changed;
/// and ageing that asks about activity the table did not see before removing an entry.
@Suite struct MACTableChangeLogTests {
    static let start = Timestamp(seconds: 1_700_000_000)

    func drained(_ log: MACTableChangeLog) -> [UInt64] {
        var keys: [UInt64] = []
        log.drain(limit: .max) { keys.append($0) }
        return keys
    }

    @Test func learningMovingAndRemovingAreRecordedRefreshingIsNot() {
        // Room set aside for the static entry below, so adding it rebuilds nothing.
        let table = MACTable(limit: 16, staticReserve: 4, ageingSeconds: 10)
        let log = MACTableChangeLog(capacity: 8)
        table.changeLog = log
        let key = MACTableSlot.key(mac: station(1), vlan: 1)
        #expect(table.learn(station(1), vlan: 1, port: 1, at: Self.start) == .learned)
        #expect(drained(log) == [key])
        #expect(table.learn(station(1), vlan: 1, port: 1, at: Self.start.adding(seconds: 1)) == .refreshed)
        #expect(drained(log).isEmpty)
        #expect(table.learn(station(1), vlan: 1, port: 2, at: Self.start.adding(seconds: 2)) == .moved(from: 1))
        #expect(drained(log) == [key])
        // Ageing out is a removal like any other.
        _ = table.age(at: Self.start.adding(seconds: 30))
        _ = table.age(at: Self.start.adding(seconds: 31))
        #expect(table.count == 0 && drained(log) == [key])
        table.setStatic(station(2), vlan: 1, port: 3, at: Self.start)
        #expect(drained(log) == [MACTableSlot.key(mac: station(2), vlan: 1)])
        #expect(!log.needsResync)
    }

    @Test func moreChangesThanTheLogHoldsAskForAResync() {
        let table = MACTable(limit: 64)
        let log = MACTableChangeLog(capacity: 4)
        table.changeLog = log
        for number in 1...5 { table.learn(station(number), vlan: 1, port: 1, at: Self.start) }
        #expect(log.needsResync && log.count == 0)
        // A change to every entry at once (a new limit rebuilds the slots) asks for one too.
        log.needsResync = false
        table.setLimit(32)
        #expect(log.needsResync)
    }

    @Test func drainingIsBoundedAndKeepsOrder() {
        let log = MACTableChangeLog(capacity: 8)
        for key in 1...6 { log.record(UInt64(key)) }
        var first: [UInt64] = []
        log.drain(limit: 4) { first.append($0) }
        for key in 7...10 { log.record(UInt64(key)) }
        #expect(first == [1, 2, 3, 4] && drained(log) == [5, 6, 7, 8, 9, 10] && !log.needsResync)
    }

    @Test func activitySeenElsewhereKeepsAnEntryFromAgeingOut() {
        let table = MACTable(limit: 16, ageingSeconds: 10)
        table.learn(station(1), vlan: 1, port: 1, at: Self.start)
        table.learn(station(2), vlan: 1, port: 1, at: Self.start)
        // Station 1 keeps talking where the table does not see it (the kernel forwarding it).
        let active = MACTableSlot.key(mac: station(1), vlan: 1)
        nonisolated(unsafe) var seen = UInt32(Self.start.seconds)
        table.externalActivity = { key in key == active ? seen : nil }
        var time = Self.start
        for _ in 0..<30 {
            time = time.adding(seconds: 1)
            seen = UInt32(time.seconds)
            _ = table.age(at: time)
        }
        #expect(table.port(for: station(1), vlan: 1, at: time) == 1)
        #expect(table.port(for: station(2), vlan: 1, at: time) == nil)
        #expect(table.entries(at: time).map(\.mac) == [station(1)])
        // A station still active is refreshed, not re-learned (no new-station event).
        #expect(table.learn(station(1), vlan: 1, port: 1, at: time) == .refreshed)
        // Once it falls silent everywhere, it ages out as usual.
        let later = time.adding(seconds: 20)
        #expect(table.port(for: station(1), vlan: 1, at: later) == nil)
    }
}
