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
        #expect(pipeline.macTable.entries(at: clock.now()).map(\.mac) == [station(1)])
        #expect(pipeline.macTable.count == 1) // swept, not just hidden

        // An aged-out destination is unknown again: flooded.
        _ = sink.take()
        pipeline.process(FrameBuilder(destination: station(2), source: station(3)), on: 3)
        #expect(Set(sink.take().map(\.port)) == [1, 2, 4])
        // Relearning after expiry is a new station for observers.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(2)), on: 2)
        #expect(observer.events.filter { $0.mac == station(2) }.count == 2)

        clock.advance(seconds: 300)
        pipeline.refreshTime()
        #expect(pipeline.macTable.count == 0)
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

    @Test func fullTableStopsLearningButTrafficFlows() throws {
        let pipeline = try makePipeline { $0.macLimit = 4 }
        for number in 1...4 {
            pipeline.process(FrameBuilder(destination: .broadcast, source: station(number)), on: number)
        }
        let capacity = pipeline.macTable.capacity
        // A fifth station is not learned, but its frames still go through.
        _ = sink.take()
        pipeline.process(FrameBuilder(destination: station(1), source: station(5)), on: 2)
        #expect(sink.take().map(\.port) == [1])
        #expect(pipeline.macTable.count == 4)
        #expect(pipeline.macTable.refusedLearnCount == 1)
        #expect(pipeline.counters(port: 2).learningRefused == 1)
        #expect(pipeline.counters(port: 2).dropped == 0)
        // Replies to it flood (unknown), as a full table must.
        pipeline.process(FrameBuilder(destination: station(5), source: station(1)), on: 1)
        #expect(Set(sink.take().map(\.port)) == [2, 3, 4])
        // Known stations still move.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 3)
        #expect(pipeline.macTable.port(for: station(1), vlan: 1, at: clock.now()) == 3)
        #expect(pipeline.macTable.capacity == capacity)

        // Raising the limit makes room; lowering it below the count trims the table.
        var config = pipeline.configuration
        config.macLimit = 8
        try pipeline.apply(config)
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(5)), on: 2)
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
                if table.learn(mac, vlan: 1, port: port, at: now) != .tableFull { expected[mac] = port }
            } else {
                #expect(table.remove(mac, vlan: 1) == (expected.removeValue(forKey: mac) != nil))
            }
        }
        #expect(table.count == expected.count)
        for (mac, port) in expected { #expect(table.port(for: mac, vlan: 1, at: now) == port) }
        #expect(table.entries(at: now).count == expected.count)
    }
}
