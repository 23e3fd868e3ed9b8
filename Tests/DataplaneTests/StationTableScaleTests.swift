import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// The station table beyond its old bound (65,535: the index shared the slot key
/// with the MAC) and beyond the MAC table tags' direct reach (16,382), grown and
/// compacted by updates.
@Suite struct StationTableScaleTests {
    /// Station `number`'s VLAN: 100 or 200.
    static func vlan(_ number: Int) -> UInt16 { number.isMultiple(of: 2) ? 100 : 200 }

    @Test func seventyThousandStationsAreEachFoundAndApplied() throws {
        let sw = try PolicyTestSwitch { $0.acls[7] = StationUpdateTests.denyAll }
        let count = 70_000
        // In batches, so that the table grows across updates.
        for start in stride(from: 0, to: count, by: 10_000) {
            var batch: [MACAddress: StationPolicy?] = [:]
            for number in start..<min(count, start + 10_000) {
                // Every fifth station denies frames to it.
                batch[vm(number)] = StationPolicy(vlan: StationTableScaleTests.vlan(number),
                                                  acls: number % 5 == 4 ? [7] : [])
            }
            sw.pipeline.updateStationPolicies(batch)
        }
        #expect(sw.pipeline.stationTableStatistics().count == count)
        let table = sw.pipeline.stations
        var indexes = Set<Int>()
        for number in 0..<count {
            let index = try #require(table.index(of: vm(number).rawValue))
            indexes.insert(index)
            #expect(table.policy(of: vm(number).rawValue)?.vlan == StationTableScaleTests.vlan(number))
        }
        #expect(indexes.count == count)

        // Around the tags' reach, the old bound, and the last: classified from the
        // slot, then reached as a destination through the MAC table's tag.
        let samples = [0, 1, 16_380, 16_381, 16_382, 16_383, 16_384, 65_534, 65_535, 65_536, 69_998, 69_999]
        for number in samples {
            let out = sw.send(FrameBuilder(destination: .broadcast, source: vm(number)), on: 1)
            let back = sw.send(FrameBuilder(destination: vm(number), source: station(9),
                                            vlan: StationTableScaleTests.vlan(number)), on: 5)
            if number % 5 == 4 {
                // Its list denies what it sends too (learned all the same).
                #expect(out.isEmpty && back.isEmpty)
            } else {
                #expect(out.map(\.port) == [5] && out.first?.vlanTag == StationTableScaleTests.vlan(number))
                #expect(back.map(\.port) == [1] && back.first?.vlanTag == nil)
            }
        }
        let denied = samples.filter { $0 % 5 == 4 }
        #expect(sw.pipeline.counters(port: 5).drops[.aclDeny] == UInt64(denied.count))
        #expect(sw.pipeline.counters(port: 1).drops[.aclDeny] == UInt64(denied.count))
        #expect(sw.pipeline.stationStatistics().filter { $0.aclDrops != 0 }.map(\.mac) == denied.map(vm))
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func compactionRenumbersWithoutMisdirectingAnyTag() throws {
        let sw = try PolicyTestSwitch { $0.acls[7] = StationUpdateTests.denyAll }
        func policy(_ number: Int) -> StationPolicy { StationPolicy(acls: [7]) }
        // 1024 stations, each learned (its slot in the MAC table caches its tag).
        let first = 1...StationTable.minimumCapacity
        sw.pipeline.updateStationPolicies(Dictionary(uniqueKeysWithValues: first.map { (vm($0), Optional(policy($0))) }))
        for number in first { _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(number)), on: number % 4 + 1) }
        let capacity = sw.pipeline.stations.capacity
        #expect(sw.pipeline.stations.isFull)

        // Two thirds leave; one more arrives: the index space is full of holes, so the table is compacted.
        let leaving = first.filter { $0 % 3 != 0 }
        sw.pipeline.updateStationPolicies(Dictionary(uniqueKeysWithValues: leaving.map { (vm($0), nil) }))
        #expect(sw.pipeline.stations.holeCount == leaving.count)
        sw.pipeline.updateStationPolicies([vm(5000): policy(5000)])
        #expect(sw.pipeline.stations.holeCount == 0 && sw.pipeline.stations.capacity == capacity)

        // One frame to each former station: those staying are denied and counted
        // against themselves alone; those gone are forwarded.
        for number in first {
            let out = sw.send(FrameBuilder(destination: vm(number), source: station(9)), on: 5)
            #expect(out.map(\.port) == (number % 3 == 0 ? [] : [number % 4 + 1]))
        }
        let statistics = sw.pipeline.stationStatistics()
        #expect(statistics.count == first.count - leaving.count + 1)
        // Each staying station: its own broadcast and the frame to it.
        #expect(statistics.allSatisfy { $0.aclDrops == ($0.mac == vm(5000) ? 0 : 2) })
    }
}
