import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// A full table evicts from the port holding the most entries; a port at its own
/// limit learns nothing new; static entries are never evicted.
@Suite struct MACTableFairnessTests {
    let clock = VirtualClock(start: Timestamp(seconds: 1_700_000_000))

    func makePipeline(_ edit: (inout BridgeConfiguration) throws -> Void) throws -> (ForwardingPipeline, CountingSink) {
        var config = try BridgeConfiguration(portCount: 4)
        try edit(&config)
        let sink = CountingSink()
        return (try ForwardingPipeline(configuration: config, egress: sink, clock: clock), sink)
    }

    /// `count` broadcasts from random unicast sources on `port`.
    func flood(_ pipeline: ForwardingPipeline, port: Int, count: Int) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<count {
            let random = UInt64.random(in: 1...0xffff_ffff_ffff, using: &generator) & ~0x0100_0000_0000
            pipeline.process(FrameBuilder(destination: .broadcast, source: MACAddress(rawValue: random)), on: port)
        }
    }

    @Test func aFloodingPortDoesNotStopLearningElsewhere() throws {
        let (pipeline, _) = try makePipeline { $0.macLimit = 1024 }
        let table = pipeline.macTable
        for number in 1...100 {
            pipeline.process(FrameBuilder(destination: .broadcast, source: station(number)), on: 1)
        }
        flood(pipeline, port: 3, count: 5000)
        #expect(table.dynamicCount == 1024)
        // The flood filled the table and then evicted only its own entries.
        #expect(table.evictedCount == UInt64(100 + 5000 - 1024))
        #expect(pipeline.counters(port: 3).macEvicted == table.evictedCount)
        #expect(pipeline.counters(port: 1).macEvicted == 0)
        #expect((1...100).allSatisfy { table.port(for: station($0), vlan: 1, at: clock.now()) == 1 })

        // New stations on other ports are learned, each in place of a flooded entry.
        for number in 101...200 {
            pipeline.process(FrameBuilder(destination: .broadcast, source: station(number)), on: 2)
        }
        #expect((101...200).allSatisfy { table.port(for: station($0), vlan: 1, at: clock.now()) == 2 })
        #expect(table.dynamicCount(port: 3) == 1024 - 200)
        #expect(pipeline.counters(port: 3).macEvicted == table.evictedCount)
        #expect((1...4).allSatisfy { pipeline.counters(port: $0).learningRefused == 0 })
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func evictionTakesTheFullestPortEvenWhenItIsTheLearner() throws {
        let (pipeline, _) = try makePipeline { $0.macLimit = 6 }
        let table = pipeline.macTable
        for (number, port) in [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 4)] {
            pipeline.process(FrameBuilder(destination: .broadcast, source: station(number)), on: port)
        }
        // Port 1 is the fullest: a new station on port 1 replaces one of port 1's own.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(7)), on: 1)
        #expect(table.port(for: station(7), vlan: 1, at: clock.now()) == 1)
        #expect(table.dynamicCount(port: 1) == 3 && table.dynamicCount(port: 2) == 2)
        #expect(table.evictedCount(port: 1) == 1)
        // Then on port 4: port 1 still holds the most.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(8)), on: 4)
        #expect(table.dynamicCount(port: 1) == 2 && table.dynamicCount(port: 2) == 2)
        #expect(table.dynamicCount(port: 4) == 2 && table.evictedCount(port: 1) == 2)
    }

    @Test func staticEntriesAreNeverEvicted() throws {
        let statics = (1...8).map { StaticMACEntry(mac: station(1000 + $0), vlan: 1, port: 1) }
        let (pipeline, _) = try makePipeline { config in
            config.macLimit = 16
            for entry in statics { try config.addStaticMACEntry(entry) }
        }
        let table = pipeline.macTable
        flood(pipeline, port: 1, count: 2000)
        flood(pipeline, port: 2, count: 2000)
        #expect(table.staticCount == 8 && table.dynamicCount == 16)
        for entry in statics { #expect(table.port(for: entry.mac, vlan: 1, at: clock.now()) == 1) }
        #expect(table.entries(at: clock.now()).filter(\.isStatic).count == 8)
        #expect(table.evictedCount == UInt64(4000 - 16))
    }

    @Test func aPortAtItsLimitRefusesNewStationsAndCountsThem() throws {
        let (pipeline, sink) = try makePipeline { $0.macPortLimits = [3: 10] }
        let table = pipeline.macTable
        flood(pipeline, port: 3, count: 50)
        #expect(table.dynamicCount(port: 3) == 10)
        #expect(pipeline.counters(port: 3).portLimitRefused == 40)
        #expect(table.portLimitRefusedCount == 40)
        // Every refused frame was still flooded.
        #expect(sink.framesPerPort[1] == 50)
        // Other ports are not limited.
        for number in 1...20 {
            pipeline.process(FrameBuilder(destination: .broadcast, source: station(number)), on: 1)
        }
        #expect(table.dynamicCount(port: 1) == 20 && pipeline.counters(port: 1).portLimitRefused == 0)

        // A station moving onto the full port loses its entry (it would point at port 1) and is counted.
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 3)
        #expect(table.port(for: station(1), vlan: 1, at: clock.now()) == nil)
        #expect(pipeline.counters(port: 3).portLimitRefused == 41)
        #expect(table.dynamicCount(port: 1) == 19)

        // Raising the limit makes room; clearing the port's entries too.
        var config = pipeline.configuration
        config.macPortLimits = [3: 11]
        try pipeline.apply(config)
        pipeline.process(FrameBuilder(destination: .broadcast, source: station(1)), on: 3)
        #expect(table.port(for: station(1), vlan: 1, at: clock.now()) == 3)
        #expect(table.dynamicCount(port: 3) == 11 && table.portLimit(3) == 11)
        pipeline.clearDynamicMACEntries(port: 3)
        #expect(table.dynamicCount(port: 3) == 0)
        config.macPortLimits = [:]
        try pipeline.apply(config)
        #expect(table.portLimit(3) == nil)
        #expect(everyFrameAccounted(pipeline))
    }

    @Test func anInvalidPortLimitIsRejected() throws {
        var config = try BridgeConfiguration(portCount: 4)
        config.macPortLimits = [5: 10]
        #expect(throws: BridgeConfigurationError.invalidPort(5)) { try config.validate() }
        config.macPortLimits = [2: 0]
        #expect(throws: BridgeConfigurationError.invalidMACLimit(0)) { try config.validate() }
    }

    @Test func anEvictedStationIsLearnedAgainInTheSameSecond() throws {
        // The epoch contract: a station's record caches its entry for the second;
        // the eviction of that entry must end the cache, or the station would go
        // unlearned (flooded to) until the next second.
        let sw = try PolicyTestSwitch { config in
            config.stationPolicies[vm(1)] = StationPolicy(vlan: 100)
            config.macLimit = 1
        }
        let table = sw.pipeline.macTable
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        // A station on port 6 evicts the VM's entry (port 1 holds the most).
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 6)
        #expect(table.port(for: vm(1), vlan: 100, at: sw.clock.now()) == nil)
        #expect(table.evictedCount(port: 1) == 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(table.port(for: vm(1), vlan: 100, at: sw.clock.now()) == 1)
    }
}
