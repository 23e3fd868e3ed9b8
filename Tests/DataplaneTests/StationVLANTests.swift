import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Station policies' VLANs: classification, membership that follows the
/// station (learning, RARP migration), reference counts, tagging.
@Suite struct StationVLANTests {
    @Test func untaggedFramesFromAPolicyStationBelongToItsVLAN() throws {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(1)] = StationPolicy(vlan: 100) }
        #expect(sw.membership(100).members == [5]) // not located yet: only the uplink

        let out = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        // Flooded in VLAN 100 (the trunk, tagged), not VLAN 1 (ports 2-4, 6).
        #expect(out.map(\.port) == [5])
        #expect(out.first?.vlanTag == 100)
        #expect(sw.pipeline.macTable.port(for: vm(1), vlan: 100, at: sw.clock.now()) == 1)
        #expect(sw.pipeline.macTable.port(for: vm(1), vlan: 1, at: sw.clock.now()) == nil)
        #expect(sw.membership(100) == ([1, 5], [1]))

        // Another station on the same port stays in the port's VLAN.
        let plain = sw.send(FrameBuilder(destination: .broadcast, source: station(7)), on: 1)
        #expect(Set(plain.map(\.port)) == [2, 3, 4, 5, 6])
        #expect(plain.first { $0.port == 5 }?.vlanTag == nil)
        // A priority-tagged frame from the VM is in its VLAN too.
        let priority = sw.send(FrameBuilder(destination: .broadcast, source: vm(1), vlan: 0), on: 1)
        #expect(priority.map(\.port) == [5] && priority.first?.vlanTag == 100)
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func membershipFollowsAMigrationAtOnce() throws {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(1)] = StationPolicy(vlan: 100) }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(sw.membership(100).members == [1, 5])

        // The hypervisor announces the VM on port 2.
        _ = sw.send(FrameBuilder.migrationRARP(vm(1)), on: 2)
        #expect(sw.membership(100) == ([2, 5], [2]))
        #expect(sw.statistics(vm(1))?.port == 2)
        // Frames to it leave only on the new port, untagged there.
        let out = sw.send(FrameBuilder(destination: vm(1), source: station(9), vlan: 100), on: 5)
        #expect(out.map(\.port) == [2])
        #expect(out.first?.vlanTag == nil)
        // A broadcast in VLAN 100 no longer reaches the old port.
        #expect(sw.send(FrameBuilder(destination: .broadcast, source: station(9), vlan: 100), on: 5).map(\.port) == [2])

        // A gratuitous ARP on port 3 moves it again.
        _ = sw.send(FrameBuilder.gratuitousARP(vm(1), ip: IPv4Address(198, 18, 0, 10)), on: 3)
        #expect(sw.membership(100).members == [3, 5])
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func aPortStaysAMemberWhileAnyStationThereNeedsIt() throws {
        let sw = try PolicyTestSwitch {
            $0.stationPolicies[vm(1)] = StationPolicy(vlan: 100)
            $0.stationPolicies[vm(2)] = StationPolicy(vlan: 100)
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(2)), on: 1)
        #expect(sw.membership(100).members == [1, 5])
        _ = sw.send(FrameBuilder.migrationRARP(vm(1)), on: 2)
        #expect(sw.membership(100).members == [1, 2, 5])
        _ = sw.send(FrameBuilder.migrationRARP(vm(2)), on: 3)
        #expect(sw.membership(100).members == [2, 3, 5])
    }

    @Test func aStationOffThePolicyPortsHasNoMembership() throws {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(1)] = StationPolicy(vlan: 100) }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        // Migrated to another switch: it now appears behind the uplink.
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1), vlan: 100), on: 5)
        #expect(sw.membership(100).members == [5])
        #expect(sw.statistics(vm(1))?.port == 0)
        // On a plain access port its untagged frames stay in the port's VLAN.
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 6)
        #expect(sw.pipeline.macTable.port(for: vm(1), vlan: 1, at: sw.clock.now()) == 6)
        #expect(sw.membership(100).members == [5])
    }

    @Test func aTaggedPolicyCarriesTheVLANTagged() throws {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(3)] = StationPolicy(vlan: 200, tagged: true) }
        // The VM tags its own frames; port 3 is not yet a member of 200 and accepts them.
        let out = sw.send(FrameBuilder(destination: .broadcast, source: vm(3), vlan: 200), on: 3)
        #expect(out.map(\.port) == [5])
        #expect(sw.membership(200) == ([3, 5], []))
        let reply = sw.send(FrameBuilder(destination: vm(3), source: station(9), vlan: 200), on: 5)
        #expect(reply.map(\.port) == [3])
        #expect(reply.first?.vlanTag == 200)
        // Its untagged frames are the port's own VLAN's.
        let untagged = sw.send(FrameBuilder(destination: .broadcast, source: vm(3)), on: 3)
        #expect(Set(untagged.map(\.port)) == [1, 2, 4, 5, 6])
        // A port without a VM in 200 does not carry it.
        let other = sw.send(FrameBuilder(destination: .broadcast, source: station(4), vlan: 200), on: 4)
        #expect(other.isEmpty)
        #expect(sw.pipeline.counters(port: 4).drops[.vlanNotAllowed] == 1)
    }

    @Test func aPortsOwnConfigurationKeepsItsTagging() throws {
        let sw = try PolicyTestSwitch { config in
            // Port 4: a trunk that carries 100 tagged by its own configuration.
            config[port: 4].mode = .trunk
            config[port: 4].trunkAllowedVLANs = VLANSet([1, 100])
            config.stationPolicies[vm(1)] = StationPolicy(vlan: 100)
        }
        #expect(sw.membership(100) == ([4, 5], []))
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 4)
        #expect(sw.pipeline.macTable.port(for: vm(1), vlan: 100, at: sw.clock.now()) == 4)
        #expect(sw.membership(100) == ([4, 5], []))
        let out = sw.send(FrameBuilder(destination: vm(1), source: station(9), vlan: 100), on: 5)
        #expect(out.map(\.port) == [4] && out.first?.vlanTag == 100)
        // When the VM leaves, port 4 keeps its configured membership.
        _ = sw.send(FrameBuilder.migrationRARP(vm(1)), on: 1)
        #expect(sw.membership(100) == ([1, 4, 5], [1]))
    }

    @Test func theHintLocatesANewStationAndLearningWinsOverIt() throws {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(1)] = StationPolicy(vlan: 100, locationHint: 3) }
        #expect(sw.membership(100).members == [3, 5])
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 2)
        #expect(sw.membership(100).members == [2, 5])
        // The control side's (stale) hint does not undo what the dataplane learned.
        try sw.reconfigure { $0.stationPolicies[vm(2)] = StationPolicy(vlan: 100) }
        #expect(sw.membership(100).members == [2, 5])
        #expect(sw.statistics(vm(1))?.port == 2) // the learned location survives the recompile
    }

    @Test func recompilingThePlanKeepsTheDynamicMembership() throws {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(1)] = StationPolicy(vlan: 100) }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        // A port change recompiles the static plan and sweeps the MAC table.
        try sw.reconfigure { $0[port: 6].accessVLAN = 200 }
        #expect(sw.membership(100) == ([1, 5], [1]))
        // The VM's entry in VLAN 100 on port 1 counts as a member's: not swept.
        #expect(sw.pipeline.macTable.port(for: vm(1), vlan: 100, at: sw.clock.now()) == 1)
        let out = sw.send(FrameBuilder(destination: vm(1), source: station(9), vlan: 100), on: 5)
        #expect(out.map(\.port) == [1])

        // Removing the policy removes the membership, and the entries it carried.
        try sw.reconfigure { $0.stationPolicies = [:] }
        #expect(sw.membership(100) == ([5], []))
        #expect(sw.pipeline.macTable.port(for: vm(1), vlan: 100, at: sw.clock.now()) == nil)
        // Its frames are the port's VLAN's again (port 6 is in 200 now).
        let plain = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        #expect(Set(plain.map(\.port)) == [2, 3, 4, 5])
    }

    @Test func policyPortsChangeWhereStationsCount() throws {
        let sw = try PolicyTestSwitch { $0.stationPolicies[vm(1)] = StationPolicy(vlan: 100) }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 6)
        #expect(sw.membership(100).members == [5])
        // Port 6 becomes a server port: the VM learned there is now located there.
        try sw.reconfigure { $0.stationPolicyPorts.insert(6) }
        #expect(sw.membership(100).members == [5, 6])
        #expect(sw.statistics(vm(1))?.port == 6)
    }

    @Test func stationDropCountersSurviveARecompileAndClearWithTheCounters() throws {
        let sw = try PolicyTestSwitch { config in
            config.acls[1] = ACLTests.deny { $0.etherType = EtherType.ipv6 }
            let limit = RateLimit(rateKbps: 64, burstKBytes: 1)
            config.stationPolicies[vm(1)] = StationPolicy(vlan: 100, ingressLimit: limit, egressLimit: limit, acls: [1])
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9), vlan: 100), on: 5)
        for _ in 0..<20 { _ = sw.send(FrameBuilder(destination: station(9), source: vm(1)), on: 1) }
        // 64 bytes each as received (tagged): 16 fill the 1 kbyte egress bucket.
        for _ in 0..<18 { _ = sw.send(FrameBuilder(destination: vm(1), source: station(9), vlan: 100), on: 5) }
        var ipv6 = FrameBuilder(destination: station(9), source: vm(1))
        ipv6.etherType = EtherType.ipv6
        _ = sw.send(ipv6, on: 1)
        let counted = StationStatistics(mac: vm(1), port: 1, ingressPolicedDrops: 3, egressPolicedDrops: 2,
                                        aclDrops: 1)
        #expect(sw.statistics(vm(1)) == counted)
        try sw.reconfigure { $0.stationPolicies[vm(2)] = StationPolicy(vlan: 100) }
        #expect(sw.statistics(vm(1)) == counted)
        sw.pipeline.clearCounters()
        #expect(sw.statistics(vm(1)) == StationStatistics(mac: vm(1), port: 1))
    }

    @Test func batchesLookingAheadForwardAsSingleFramesDo() throws {
        let frames: [(FrameBuilder, Int)] = [
            (FrameBuilder(destination: .broadcast, source: vm(1)), 1),
            (FrameBuilder(destination: .broadcast, source: vm(2)), 2),
            (FrameBuilder(destination: vm(1), source: vm(2)), 2),
            (FrameBuilder.migrationRARP(vm(1)), 3),
            (FrameBuilder(destination: vm(1), source: vm(2)), 2),
            (FrameBuilder(destination: vm(2), source: station(9), vlan: 100), 5),
            (FrameBuilder(destination: vm(1), source: station(9)), 6),
            (FrameBuilder(destination: station(9), source: vm(2), vlan: 0), 2),
        ] + (0..<20).map { _ in (FrameBuilder(destination: vm(1), source: vm(2)), 2) }
        let policies = { (config: inout BridgeConfiguration) in
            config.stationPolicies[vm(1)] = StationPolicy(vlan: 100)
            config.stationPolicies[vm(2)] = StationPolicy(vlan: 100, ingressLimit: RateLimit(rateKbps: 64, burstKBytes: 1))
        }
        let single = try PolicyTestSwitch(policies)
        for (frame, port) in frames { single.pipeline.process(frame, on: port) }
        let batched = try PolicyTestSwitch(policies)
        let batch = FrameBatch(capacity: frames.count)
        for (frame, port) in frames { frame.bytes.withUnsafeBytes { _ = batch.append($0, port: port) } }
        batched.pipeline.process(batch)
        #expect(batched.sink.frames == single.sink.frames)
        #expect(batched.pipeline.allCounters() == single.pipeline.allCounters())
        #expect(batched.pipeline.stationStatistics() == single.pipeline.stationStatistics())
        #expect(batched.membership(100) == ([3, 2, 5], [2, 3]))
    }

    @Test func theRecordsAreOneCacheLineEach() {
        #expect(MemoryLayout<StationRecord>.stride == 64) // what a frame touches, ingress buckets included
        #expect(MemoryLayout<Policer>.size == 40)
        #expect(MemoryLayout<StationAttributes>.stride == 16)
        #expect(MemoryLayout<MACTableSlot>.offset(of: \MACTableSlot.flags) == MACTableSlot.flagsOffset)
        #expect(MemoryLayout<StationSlot>.size == 16) // four to a line
        #expect(MemoryLayout<CompiledACLRule>.stride == 64)
    }

    @Test func theEngineAnswersTheQueriesOnItsThread() throws {
        var config = try BridgeConfiguration(portCount: 4)
        try config.vlans.create(100)
        config.stationPolicyPorts = [1, 2]
        config.stationPolicies[vm(1)] = StationPolicy(vlan: 100, locationHint: 2)
        config.acls[7] = { var rule = ACLRule(); rule.action = .permit; rule.statistics = true; return rule }()
        let engine = try ForwardingEngine(configuration: config)
        #expect(engine.effectiveMembership(vlan: 100).members == [2])
        #expect(engine.stationStatistics() == [StationStatistics(mac: vm(1), port: 2)])
        #expect(engine.aclHits() == [7: 0])
        engine.clearACLStatistics()
    }
}
