import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// A station's record remembers its MAC table entry, so a frame from the same
/// port in the same second skips the table. Whatever removes or rewrites an
/// entry (clearing, ageing, a static entry, a new limit) must end that, or the
/// station would go unlearned until the next second.
@Suite struct StationLearningCacheTests {
    static func policies(_ config: inout BridgeConfiguration) {
        config.stationPolicies[vm(1)] = StationPolicy(vlan: 100)
    }

    static func entry(_ sw: PolicyTestSwitch) -> MACTableEntry? {
        sw.pipeline.macTable.entries(at: sw.clock.now()).first { $0.mac == vm(1) }
    }

    @Test func aClearedEntryIsLearnedAgainInTheSameSecond() throws {
        let sw = try PolicyTestSwitch(StationLearningCacheTests.policies)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(sw.pipeline.clearDynamicMACEntries() == 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(StationLearningCacheTests.entry(sw)?.port == 1)
        // And known unicast reaches it again, not flooded.
        #expect(sw.send(FrameBuilder(destination: vm(1), source: station(9), vlan: 100), on: 5).map(\.port) == [1])
    }

    @Test func aStationThatKeepsSendingNeverAgesOut() throws {
        let sw = try PolicyTestSwitch { config in
            StationLearningCacheTests.policies(&config)
            config.macAgeingSeconds = 10
        }
        for _ in 0..<30 {
            _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
            _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
            sw.clock.advance(seconds: 1)
        }
        let entry = try #require(StationLearningCacheTests.entry(sw))
        #expect(sw.clock.now().nanoseconds - entry.lastSeen.nanoseconds <= 1_000_000_000)
        // Silent, it ages out; its next frame learns it again at once.
        sw.clock.advance(seconds: 11)
        sw.pipeline.refreshTime()
        #expect(StationLearningCacheTests.entry(sw) == nil)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(StationLearningCacheTests.entry(sw)?.port == 1)
    }

    @Test func aStaticEntryOrANewLimitEndsTheCachedEntry() throws {
        let sw = try PolicyTestSwitch(StationLearningCacheTests.policies)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        try sw.reconfigure { config in
            try config.addStaticMACEntry(StaticMACEntry(mac: vm(1), vlan: 100, port: 2))
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(StationLearningCacheTests.entry(sw)?.port == 2) // the static entry holds
        try sw.reconfigure { config in
            _ = config.removeStaticMACEntry(mac: vm(1), vlan: 100)
            config.macLimit = 100
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(StationLearningCacheTests.entry(sw)?.port == 1)
        #expect(StationLearningCacheTests.entry(sw)?.isStatic == false)
    }

    @Test func aMoveWithinTheSecondIsStillAMove() throws {
        let sw = try PolicyTestSwitch(StationLearningCacheTests.policies)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 2)
        #expect(StationLearningCacheTests.entry(sw)?.port == 2)
        #expect(sw.membership(100).members == [2, 5])
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(StationLearningCacheTests.entry(sw)?.port == 1)
        #expect(sw.membership(100).members == [1, 5])
    }
}
