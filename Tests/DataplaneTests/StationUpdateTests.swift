import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Station policies installed one at a time (`updateStationPolicies`): what a
/// station keeps across a change, what a removal takes away, the bound, and
/// that no MAC table tag left by a removed station reaches another one.
@Suite struct StationUpdateTests {
    /// Denies every frame (to or from a station naming it).
    static let denyAll = ACLTests.deny { _ in }
    static let denyIPv4 = ACLTests.deny { $0.etherType = EtherType.ipv4 }

    /// `policy` for each of the VMs `numbers`.
    func changes(_ numbers: ClosedRange<Int>, _ policy: StationPolicy) -> [MACAddress: StationPolicy?] {
        Dictionary(uniqueKeysWithValues: numbers.map { (vm($0), Optional(policy)) })
    }

    static func udp(from source: MACAddress, to destination: MACAddress) -> FrameBuilder {
        .udp(from: source, to: destination, sourceIP: IPv4Address(198, 18, 0, 1),
             destinationIP: IPv4Address(198, 18, 0, 2))
    }

    @Test func aChangedStationKeepsItsLocationDropCountsAndBuckets() throws {
        let sw = try PolicyTestSwitch { $0.acls[5] = StationUpdateTests.denyIPv4 }
        let shaping = Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 64)
        sw.pipeline.updateStationPolicies([vm(1): StationPolicy(vlan: 100, ingressShaping: shaping, acls: [5],
                                                                 locationHint: 1)])
        #expect(sw.membership(100).members == [1, 5])
        // Learned on port 2 (not the hint); an IPv4 frame is denied; the 1 KB bucket runs dry.
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 2)
        _ = sw.send(StationUpdateTests.udp(from: vm(1), to: .broadcast), on: 2)
        var sent = 0
        while !sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 2).isEmpty { sent += 1 }
        #expect(sent > 0 && sent < 20)
        let before = try #require(sw.statistics(vm(1)))
        #expect(before.port == 2 && before.aclDrops == 1 && before.ingressPolicedDrops == 1)

        // Same buckets, new VLAN: still located on 2, still dry, counts kept; membership moved.
        let table = sw.pipeline.stations
        sw.pipeline.updateStationPolicies([vm(1): StationPolicy(vlan: 200, ingressShaping: shaping, acls: [5],
                                                                 locationHint: 3)])
        #expect(sw.pipeline.stations === table) // changed in place, not recompiled
        #expect(sw.membership(100).members == [5])
        #expect(sw.membership(200) == ([2, 5], [2]))
        let out = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 2)
        #expect(out.isEmpty)
        let after = try #require(sw.statistics(vm(1)))
        #expect(after.port == 2 && after.aclDrops == 1 && after.ingressPolicedDrops == 2)

        // New buckets start full.
        let larger = Shaping(averageKbps: 64, burstKBytes: 4, peakKbps: 64)
        sw.pipeline.updateStationPolicies([vm(1): StationPolicy(vlan: 200, ingressShaping: larger)])
        let refilled = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 2)
        #expect(refilled.map(\.port) == [5] && refilled.first?.vlanTag == 200)
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func anUnlearnedStationFollowsItsNewHint() throws {
        let sw = try PolicyTestSwitch()
        sw.pipeline.updateStationPolicies([vm(1): StationPolicy(vlan: 100, locationHint: 1)])
        #expect(sw.membership(100).members == [1, 5])
        sw.pipeline.updateStationPolicies([vm(1): StationPolicy(vlan: 100, tagged: true, locationHint: 3)])
        #expect(sw.membership(100) == ([3, 5], []))
        #expect(sw.statistics(vm(1))?.port == 3)
    }

    @Test func removalWithdrawsTheVLANMembershipAndTheStationsEntry() throws {
        let sw = try PolicyTestSwitch()
        sw.pipeline.updateStationPolicies([vm(1): StationPolicy(vlan: 100), vm(2): StationPolicy(vlan: 100)])
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(2)), on: 1)
        #expect(sw.membership(100) == ([1, 5], [1]))

        sw.pipeline.updateStationPolicies([vm(1): nil])
        #expect(sw.membership(100) == ([1, 5], [1])) // vm(2) still needs it
        #expect(sw.statistics(vm(1)) == nil)
        sw.pipeline.updateStationPolicies([vm(2): nil])
        #expect(sw.membership(100).members == [5])
        // Port 1 no longer carries VLAN 100: the stations' entries there went with it,
        // so a frame to them in VLAN 100 is flooded (to no port), not sent to port 1.
        #expect(sw.pipeline.macTable.port(for: vm(2), vlan: 100, at: sw.clock.now()) == nil)
        #expect(sw.send(FrameBuilder(destination: vm(2), source: station(9), vlan: 100), on: 5).isEmpty)
        #expect(sw.pipeline.counters(port: 5).flooded == 1)
        // Its frames are the port's again (VLAN 1).
        let plain = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(Set(plain.map(\.port)) == [2, 3, 4, 5, 6] && plain.allSatisfy { $0.vlanTag == nil })
        #expect(sw.pipeline.stationTableStatistics().count == 0)
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func aVLANNoPolicyNamedBeforeIsCarriedWithoutRecompiling() throws {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(1)] = StationPolicy(vlan: 100) }
        let table = sw.pipeline.stations
        sw.pipeline.updateStationPolicies([vm(2): StationPolicy(vlan: 300, locationHint: 3)])
        #expect(sw.pipeline.stations === table)
        #expect(sw.membership(300) == ([3], [3]))
        let out = sw.send(FrameBuilder(destination: .broadcast, source: vm(2)), on: 3)
        #expect(out.isEmpty) // nobody else carries 300
        #expect(sw.pipeline.macTable.port(for: vm(2), vlan: 300, at: sw.clock.now()) == 3)
    }

    @Test func aRemovedStationsCachedTagReachesNoOtherStation() throws {
        let sw = try PolicyTestSwitch { $0.acls[7] = StationUpdateTests.denyAll }
        let egress = RateLimit(rateKbps: 64, burstKBytes: 1)
        sw.pipeline.updateStationPolicies([vm(1): StationPolicy(egressLimit: egress)])
        // vm(1) and vm(3) are in the MAC table, their slots caching their tags.
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(3)), on: 3)

        // vm(1) leaves, vm(2) (denying everything) and vm(3) (denying everything) arrive.
        sw.pipeline.updateStationPolicies([vm(1): nil])
        sw.pipeline.updateStationPolicies([vm(2): StationPolicy(acls: [7]), vm(3): StationPolicy(acls: [7])])
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(2)), on: 2)

        // Frames to vm(1) go through, unpoliced, as to any station without policy.
        for _ in 0..<40 {
            #expect(sw.send(FrameBuilder(destination: vm(1), source: station(9)), on: 5).map(\.port) == [1])
        }
        // vm(3) was in the table before its policy: its slot was retagged.
        #expect(sw.send(FrameBuilder(destination: vm(3), source: station(9)), on: 5).isEmpty)
        #expect(sw.send(FrameBuilder(destination: vm(2), source: station(9)), on: 5).isEmpty)
        #expect(sw.statistics(vm(1)) == nil)
        #expect(sw.statistics(vm(2))?.aclDrops == 2) // its own broadcast and the frame to it
        #expect(sw.statistics(vm(3))?.aclDrops == 1)
        #expect(sw.pipeline.counters(port: 5).drops[.aclDeny] == 2)
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func aclListsKeepTheirRulesThroughCompaction() throws {
        let sw = try PolicyTestSwitch(StationUpdateDifferentialTests.acls)
        // Lists that grow, shrink and vanish, so that their storage fills with garbage.
        let shapes: [[Int]] = [[12], [10, 12, 13], [], [11, 12], [13]]
        func list(_ number: Int, _ round: Int) -> [Int] { shapes[(number + round) % shapes.count] }
        let numbers = 1...200
        var compactions = 0
        for round in 0..<10 {
            let garbage = sw.pipeline.stations.aclListGarbage
            sw.pipeline.updateStationPolicies(Dictionary(uniqueKeysWithValues: numbers.map {
                (vm($0), Optional(StationPolicy(acls: list($0, round))))
            }))
            if sw.pipeline.stations.aclListGarbage < garbage { compactions += 1 }
        }
        #expect(compactions > 0)
        for number in numbers { _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(number)), on: number % 4 + 1) }
        // As a destination a station's whole list applies: 12 denies frames to even VMs, 10 IPv4.
        for number in numbers {
            let final = list(number, 9)
            let denied = final.contains(12) && number.isMultiple(of: 2)
            #expect(sw.send(FrameBuilder(destination: vm(number), source: station(9)), on: 5).isEmpty == denied)
            #expect(sw.send(StationUpdateTests.udp(from: station(9), to: vm(number)), on: 5).isEmpty
                    == (denied || final.contains(10)))
        }
    }

    @Test func policiesPastTheBoundAreRefusedAndCounted() throws {
        let sw = try PolicyTestSwitch()
        sw.pipeline.stationLimit = 100
        sw.pipeline.updateStationPolicies(changes(1...90, StationPolicy(vlan: 100)))
        sw.pipeline.updateStationPolicies(changes(91...110, StationPolicy(vlan: 200)))
        #expect(sw.pipeline.stationTableStatistics() == StationTableStatistics(count: 100, maximum: 100, refusedCount: 10))
        // In MAC order: 91...100 went in, 101...110 did not.
        #expect(sw.statistics(vm(100)) != nil && sw.statistics(vm(101)) == nil)
        let out = sw.send(FrameBuilder(destination: .broadcast, source: vm(101)), on: 1)
        #expect(out.allSatisfy { $0.vlanTag == nil } && out.count == 5)

        // A change of an installed station is no new station; a removal makes room.
        sw.pipeline.updateStationPolicies([vm(1): StationPolicy(vlan: 200), vm(2): nil])
        sw.pipeline.updateStationPolicies([vm(101): StationPolicy(vlan: 200), vm(102): StationPolicy(vlan: 200)])
        #expect(sw.pipeline.snapshot().stations == StationTableStatistics(count: 100, maximum: 100, refusedCount: 11))

        // A configuration's own policies are bounded the same way.
        try sw.reconfigure { config in
            for number in 1...120 { config.stationPolicies[vm(number)] = StationPolicy(vlan: 100) }
        }
        #expect(sw.pipeline.stationTableStatistics().refusedCount == 31)
        #expect(sw.statistics(vm(100)) != nil && sw.statistics(vm(101)) == nil)
        sw.pipeline.clearCounters()
        #expect(sw.pipeline.stationTableStatistics().refusedCount == 0)
    }

    @Test func theEngineRefusesAnInvalidChangeWhole() throws {
        var config = try BridgeConfiguration(portCount: 4)
        config.stationPolicyPorts = [1, 2]
        let engine = try ForwardingEngine(configuration: config)
        let good = StationPolicy(vlan: 100, locationHint: 1)
        #expect(throws: BridgeConfigurationError.invalidVLAN(4095)) {
            try engine.updateStationPolicies([vm(1): good, vm(2): StationPolicy(vlan: 4095)])
        }
        #expect(throws: BridgeConfigurationError.invalidPort(5)) {
            try engine.updateStationPolicies([vm(1): good, vm(2): StationPolicy(locationHint: 5)])
        }
        #expect(throws: BridgeConfigurationError.invalidPort(0)) {
            try engine.updateStationPolicies([vm(2): StationPolicy(locationHint: 0)])
        }
        #expect(throws: BridgeConfigurationError.invalidACL(0)) {
            try engine.updateStationPolicies([vm(2): StationPolicy(acls: [0])])
        }
        #expect(engine.stationStatistics().isEmpty)
        try engine.updateStationPolicies([vm(1): good, vm(2): StationPolicy(vlan: 0)])
        #expect(engine.stationStatistics().map(\.mac) == [vm(1), vm(2)])
        #expect(engine.effectiveMembership(vlan: 100).members == [1])
        try engine.updateStationPolicies([vm(1): nil])
        #expect(engine.stationTableStatistics().count == 1)
        #expect(engine.effectiveMembership(vlan: 100).members.isEmpty)
    }
}
