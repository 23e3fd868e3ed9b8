import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Records learning events, as the VM-awareness layer will.
final class RecordingObserver: LearningObserver {
    var events: [LearningEvent] = []
    func stationLearned(_ event: LearningEvent) -> Bool {
        events.append(event)
        return true
    }
}

@Suite struct MACLearningTests {
    let clock = VirtualClock(start: Timestamp(seconds: 1_700_000_000))
    let sink = CollectingSink()
    let observer = RecordingObserver()

    func makePipeline(_ edit: (inout BridgeConfiguration) throws -> Void = { _ in }) throws -> ForwardingPipeline {
        var config = try BridgeConfiguration(portCount: 4)
        try edit(&config)
        let pipeline = try ForwardingPipeline(configuration: config, egress: sink, clock: clock)
        pipeline.learningObserver = observer
        return pipeline
    }

    @Test func learnsMovesAndReportsOnlyChanges() throws {
        let pipeline = try makePipeline()
        let vm = try #require(MACAddress("00:50:56:9c:00:c8"))
        pipeline.process(FrameBuilder(destination: .broadcast, source: vm), on: 1)
        pipeline.process(FrameBuilder(destination: .broadcast, source: vm), on: 1)
        #expect(pipeline.macTable.port(for: vm, vlan: 1, at: clock.now()) == 1)
        #expect(observer.events.count == 1)
        #expect(observer.events.first?.previousPort == nil && observer.events.first?.port == 1)

        // A RARP announcement from the new port moves it at once and carries the ARP fields.
        let rarp = FrameBuilder.arp(operation: 3, senderMAC: vm, senderIP: .zero, targetMAC: vm, targetIP: .zero,
                                    reverse: true)
        pipeline.process(rarp, on: 3)
        #expect(pipeline.macTable.port(for: vm, vlan: 1, at: clock.now()) == 3)
        let move = try #require(observer.events.last)
        #expect(observer.events.count == 2)
        #expect(move.isMove && move.previousPort == 1 && move.port == 3 && move.vlan == 1)
        #expect(move.arp?.isMigrationAnnouncement == true)

        // Frames to it now leave only on the new port.
        _ = sink.take()
        pipeline.process(FrameBuilder(destination: vm, source: station(9)), on: 2)
        #expect(sink.take().map(\.port) == [3])
    }

    @Test func sameMACInTwoVLANsIsTwoEntries() throws {
        let pipeline = try makePipeline { config in
            try config.vlans.create(10)
            config[port: 2].accessVLAN = 10
        }
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 1)
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 2)
        let entries = pipeline.macTable.entries(at: clock.now())
        #expect(entries.map { [Int($0.vlan), $0.port] } == [[1, 1], [10, 2]])
        #expect(observer.events.allSatisfy { !$0.isMove })
    }

    @Test func entriesAgeOnTheVirtualClock() throws {
        let pipeline = try makePipeline { $0.macAgeingSeconds = 300 }
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 1)
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(2)), on: 2)
        clock.advance(seconds: 200)
        // Station 1 speaks again: its idle time starts over.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 1)
        clock.advance(seconds: 150)
        pipeline.refreshTime()
        // Hidden at once; swept within the ageing bound (two passes of the incremental ager).
        #expect(pipeline.macTable.entries(at: clock.now()).map(\.mac) == [station(1)])
        forwardIdle(pipeline, seconds: 2)
        #expect(pipeline.macTable.count == 1) // swept, not just hidden

        // An aged-out destination is unknown again: flooded.
        _ = sink.take()
        pipeline.process(FrameBuilder(destination: station(2), source: station(3)), on: 3)
        #expect(Set(sink.take().map(\.port)) == [1, 2, 4])
        // Relearning after expiry is a new station for observers.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(2)), on: 2)
        #expect(observer.events.filter { $0.mac == station(2) }.count == 2)

        clock.advance(seconds: 300)
        forwardIdle(pipeline, seconds: 2)
        #expect(pipeline.macTable.count == 0)
    }

    /// Runs the forwarding loop's time keeping for `seconds` of switch time, a
    /// millisecond at a time, as the engine polls while ageing is behind.
    func forwardIdle(_ pipeline: ForwardingPipeline, seconds: Int) {
        for _ in 0..<seconds * 1000 {
            clock.advance(seconds: 0.001)
            pipeline.refreshTime()
        }
    }

    @Test func ageingZeroNeverExpires() throws {
        let pipeline = try makePipeline { $0.macAgeingSeconds = 0 }
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 1)
        clock.advance(seconds: 10_000_000)
        pipeline.refreshTime()
        #expect(pipeline.macTable.port(for: station(1), vlan: 1, at: clock.now()) == 1)
    }

    @Test func staticEntriesNeitherAgeNorMove() throws {
        let server = station(7)
        let pipeline = try makePipeline { config in
            try config.addStaticMACEntry(StaticMACEntry(mac: server, vlan: 1, port: 4))
        }
        pipeline.process(FrameBuilder(destination: .broadcast, source: server), on: 2)
        clock.advance(seconds: 1000)
        pipeline.refreshTime()
        let entries = pipeline.macTable.entries(at: clock.now())
        #expect(entries == [MACTableEntry(mac: server, vlan: 1, port: 4, isStatic: true,
                                          lastSeen: Timestamp(seconds: 1_700_000_000))])
        #expect(observer.events.isEmpty)
        _ = sink.take()
        pipeline.process(FrameBuilder(destination: server, source: station(1)), on: 1)
        #expect(sink.take().map(\.port) == [4])
        // Clearing dynamic entries keeps static ones.
        pipeline.clearDynamicMACEntries()
        #expect(pipeline.macTable.staticCount == 1 && pipeline.macTable.dynamicCount == 0)

        // A static entry to a port that is shut down: dropped, with a reason.
        var config = pipeline.configuration
        config[port: 4].isEnabled = false
        try pipeline.apply(config)
        pipeline.process(FrameBuilder(destination: server, source: station(1)), on: 1)
        #expect(pipeline.counters(port: 1).drops[.destinationUnavailable] == 1)

        // Removed from the configuration, removed from the table.
        config.removeStaticMACEntry(mac: server, vlan: 1)
        try pipeline.apply(config)
        #expect(pipeline.macTable.staticCount == 0)
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func fullTableEvictsFromTheFullestPortAndTrafficFlows() throws {
        let pipeline = try makePipeline { $0.macLimit = 4 }
        // Port 3 holds two entries, ports 1 and 4 one each: the table is full.
        for (number, port) in [(1, 1), (2, 3), (3, 3), (4, 4)] {
            pipeline.process(FrameBuilder(destination: .broadcast, source: station(number)), on: port)
        }
        let capacity = pipeline.macTable.capacity
        // A fifth station is learned in place of one of port 3's, and its frames go through.
        _ = sink.take()
        pipeline.process(FrameBuilder(destination: station(1), source: station(5)), on: 2)
        #expect(sink.take().map(\.port) == [1])
        #expect(pipeline.macTable.count == 4)
        #expect(pipeline.macTable.port(for: station(5), vlan: 1, at: clock.now()) == 2)
        #expect(pipeline.macTable.evictedCount == 1 && pipeline.macTable.refusedLearnCount == 0)
        #expect(pipeline.counters(port: 3).macEvicted == 1 && pipeline.counters(port: 2).macEvicted == 0)
        #expect(pipeline.macTable.dynamicCount(port: 3) == 1)
        #expect(pipeline.counters(port: 2).learningRefused == 0 && pipeline.counters(port: 2).dropped == 0)
        let survivors = [2, 3].filter { pipeline.macTable.port(for: station($0), vlan: 1, at: clock.now()) != nil }
        #expect(survivors.count == 1)
        #expect(pipeline.macTable.port(for: station(1), vlan: 1, at: clock.now()) == 1)
        #expect(pipeline.macTable.port(for: station(4), vlan: 1, at: clock.now()) == 4)
        // Known stations still move.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 3)
        #expect(pipeline.macTable.port(for: station(1), vlan: 1, at: clock.now()) == 3)
        #expect(pipeline.macTable.capacity == capacity)
        // Clearing a port's counters clears its evictions.
        pipeline.clearCounters(port: 3)
        #expect(pipeline.counters(port: 3).macEvicted == 0)

        // Raising the limit makes room; lowering it below the count trims the table.
        var config = pipeline.configuration
        config.macLimit = 8
        try pipeline.apply(config)
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(6)), on: 2)
        #expect(pipeline.macTable.count == 5)
        config.macLimit = 2
        try pipeline.apply(config)
        #expect(pipeline.macTable.count == 2)
    }

    @Test func deletionKeepsProbeChainsIntact() throws {
        // Heavy churn in a small table: every remaining entry must stay findable.
        let table = MACTable(limit: 64, ageingSeconds: 0)
        let now = Timestamp(seconds: 1)
        var expected: [MACAddress: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            let mac = MACAddress(rawValue: UInt64.random(in: 1...200, using: &generator) << 8)
            if Bool.random(using: &generator), expected.count < 64 {
                let port = round % 7 + 1
                #expect(table.learn(mac, vlan: 1, port: port, at: now) != .tableFull)
                expected[mac] = port
            } else {
                #expect(table.remove(mac, vlan: 1) == (expected.removeValue(forKey: mac) != nil))
            }
        }
        #expect(table.count == expected.count)
        for (mac, port) in expected { #expect(table.port(for: mac, vlan: 1, at: now) == port) }
        #expect(table.entries(at: now).count == expected.count)
    }
}
