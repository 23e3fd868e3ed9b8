import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// The vector loop's copy of `decide` (which starts from the look-ahead's
/// classification and probe) must decide exactly as the single-frame copy does,
/// above all in the common case: an untagged frame from a station already learned
/// this second, to a known unicast destination. Each test sends the same frames
/// once as single frames and once as one batch (where every frame after a
/// station's first takes the common case) and
/// compares everything the switch shows: egress, port counters, station
/// counters and ACL hits.
@Suite struct StationFastPathTests {
    /// vm(1) on p1 and vm(2) on p2 in VLAN 100; station(9) a plain host on p3.
    static func base(_ config: inout BridgeConfiguration) {
        config[port: 3].accessVLAN = 100
        config.stationPolicies[vm(1)] = StationPolicy(vlan: 100)
        config.stationPolicies[vm(2)] = StationPolicy(vlan: 100)
    }

    /// Each station announces itself first, then `rounds` rounds of `traffic`.
    static func frames(rounds: Int, _ traffic: [(FrameBuilder, Int)]) -> [(FrameBuilder, Int)] {
        var frames: [(FrameBuilder, Int)] = [
            (FrameBuilder(destination: .broadcast, source: vm(1)), 1),
            (FrameBuilder(destination: .broadcast, source: vm(2)), 2),
            (FrameBuilder(destination: .broadcast, source: station(9)), 3),
        ]
        for _ in 0..<rounds { frames += traffic }
        return frames
    }

    static func ipv6(from source: MACAddress, to destination: MACAddress) -> FrameBuilder {
        var frame = FrameBuilder(destination: destination, source: source)
        frame.etherType = EtherType.ipv6
        return frame
    }

    static func ipv4(from source: MACAddress, to destination: MACAddress) -> FrameBuilder {
        FrameBuilder.udp(from: source, to: destination, sourceIP: ACLTests.client, destinationIP: ACLTests.server)
    }

    /// Sends `frames` both ways and checks that the two switches agree.
    /// - Returns: the batched switch, for checks of what happened.
    @discardableResult
    static func expectBatchDecidesLikeSingleFrames(_ frames: [(FrameBuilder, Int)],
                                                   _ edit: (inout BridgeConfiguration) -> Void,
                                                   sourceLocation: SourceLocation = #_sourceLocation) throws
        -> PolicyTestSwitch {
        let configure = { (config: inout BridgeConfiguration) in
            base(&config)
            edit(&config)
        }
        let single = try PolicyTestSwitch(configure)
        var singleEgress: [EgressFrame] = []
        for (frame, port) in frames {
            single.pipeline.process(frame, on: port)
            singleEgress += single.sink.take()
        }
        let batched = try PolicyTestSwitch(configure)
        let batch = FrameBatch(capacity: frames.count)
        for (frame, port) in frames { frame.bytes.withUnsafeBytes { _ = batch.append($0, port: port) } }
        batched.pipeline.process(batch)
        let batchedEgress = batched.sink.take()
        #expect(batchedEgress.map(\.port) == singleEgress.map(\.port), sourceLocation: sourceLocation)
        #expect(batchedEgress.map(\.bytes) == singleEgress.map(\.bytes), sourceLocation: sourceLocation)
        #expect(batched.pipeline.allCounters() == single.pipeline.allCounters(), sourceLocation: sourceLocation)
        #expect(batched.pipeline.stationStatistics() == single.pipeline.stationStatistics(),
                sourceLocation: sourceLocation)
        #expect(batched.pipeline.aclHits() == single.pipeline.aclHits(), sourceLocation: sourceLocation)
        return batched
    }

    @Test func unicastBetweenStationsIsForwardedAndCounted() throws {
        let sw = try StationFastPathTests.expectBatchDecidesLikeSingleFrames(StationFastPathTests.frames(rounds: 20, [
            (FrameBuilder(destination: vm(2), source: vm(1)), 1),
            (FrameBuilder(destination: station(9), source: vm(2)), 2),
            (FrameBuilder(destination: vm(1), source: vm(1)), 1),    // to itself: filtered
            (FrameBuilder(destination: .broadcast, source: vm(1)), 1), // flooded
            (FrameBuilder(destination: vm(1), source: vm(2), vlan: 100), 2), // tagged
        ])) { _ in }
        #expect(sw.pipeline.counters(port: 1).forwarded == 20)
        #expect(sw.pipeline.counters(port: 1).filtered == 20)
    }

    @Test func aPortListOfEtherTypeRulesDecidesWithoutMatchingRules() throws {
        let sw = try StationFastPathTests.expectBatchDecidesLikeSingleFrames(StationFastPathTests.frames(rounds: 10, [
            (StationFastPathTests.ipv6(from: vm(1), to: vm(2)), 1),
            (StationFastPathTests.ipv4(from: vm(1), to: vm(2)), 1),
            (FrameBuilder(destination: vm(2), source: vm(1)), 1),
        ])) { config in
            config.acls[1] = ACLTests.deny { $0.etherType = EtherType.ipv6 }
            config.acls[2] = ACLTests.deny { $0.etherType = EtherType.arp }
            var permitIPv4 = ACLRule()
            permitIPv4.etherType = EtherType.ipv4
            permitIPv4.action = .permit
            permitIPv4.statistics = true
            config.acls[3] = permitIPv4
            config[port: 1].acls = [1, 2, 3]
        }
        #expect(sw.pipeline.acls.summary(port: 1).count == 3)
        #expect(sw.pipeline.aclHits() == [1: 10, 2: 0, 3: 10])
        #expect(sw.pipeline.counters(port: 1).drops[.aclDeny] == 10)
        #expect(sw.statistics(vm(1))?.aclDrops == 10)
        #expect(sw.statistics(vm(2))?.aclDrops == 10)
    }

    @Test func aPortListThatIsNotSummarizedIsMatchedRuleByRule() throws {
        let sw = try StationFastPathTests.expectBatchDecidesLikeSingleFrames(StationFastPathTests.frames(rounds: 10, [
            (FrameBuilder(destination: vm(2), source: vm(1)), 1),
            (FrameBuilder(destination: station(9), source: vm(1)), 1),
        ])) { config in
            config.acls[1] = ACLTests.deny { $0.destinationMAC = MACMatch(address: station(9)) }
            config[port: 1].acls = [1]
        }
        #expect(sw.pipeline.acls.summary(port: 1).count == -1)
        #expect(sw.pipeline.aclHits() == [1: 10])
    }

    @Test func aDecidedStationListDeniesOrPermitsAndCounts() throws {
        let sw = try StationFastPathTests.expectBatchDecidesLikeSingleFrames(StationFastPathTests.frames(rounds: 10, [
            (FrameBuilder(destination: vm(2), source: vm(1)), 1),
            (FrameBuilder(destination: vm(1), source: vm(2)), 2),
            (StationFastPathTests.ipv6(from: vm(2), to: vm(1)), 2),
        ])) { config in
            config.acls[1] = ACLTests.deny { $0.etherType = EtherType.ipv6 }
            config[port: 2].acls = [1]
            config.acls[4] = ACLTests.deny { $0.sourceMAC = MACMatch(address: vm(1)) }
            config.acls[5] = StationACLListTests.permitVMware
            config.stationPolicies[vm(1)]?.acls = [4]
            config.stationPolicies[vm(2)]?.acls = [4, 5]
        }
        // vm(1)'s frames (its broadcast too) meet its rule 4; vm(2)'s skip rule 4 and meet
        // rule 5; IPv6 stops at port 2's rule and counts against vm(1) as the destination.
        #expect(sw.pipeline.aclHits() == [1: 10, 4: 11, 5: 11])
        #expect(sw.statistics(vm(1))?.aclDrops == 21)
    }

    @Test func undecidedListsOfBothStationsAreMatched() throws {
        let sw = try StationFastPathTests.expectBatchDecidesLikeSingleFrames(StationFastPathTests.frames(rounds: 10, [
            (StationFastPathTests.ipv4(from: vm(1), to: vm(2)), 1),
            (FrameBuilder(destination: vm(2), source: vm(1)), 1),
            (FrameBuilder(destination: vm(1), source: vm(2)), 2),
        ])) { config in
            config.acls[6] = ACLTests.deny { $0.ipProtocol = 17 }
            config.acls[7] = ACLTests.deny { $0.sourceMAC = MACMatch(address: vm(2)) }
            config.stationPolicies[vm(1)]?.acls = [6]
            config.stationPolicies[vm(2)]?.acls = [7]
        }
        // vm(2)'s rule 7 denies vm(2)'s own frames (its broadcast too); to vm(2) it matches
        // nothing of vm(1)'s.
        #expect(sw.pipeline.aclHits() == [6: 10, 7: 11])
        #expect(sw.pipeline.counters(port: 1).drops[.aclDeny] == 10)
    }

    @Test func bucketsPoliceBothDirections() throws {
        let sw = try StationFastPathTests.expectBatchDecidesLikeSingleFrames(StationFastPathTests.frames(rounds: 40, [
            (FrameBuilder(destination: vm(2), source: vm(1)), 1),
            (FrameBuilder(destination: vm(1), source: vm(2)), 2),
        ])) { config in
            // The clock stands still. vm(1)'s peak bucket (1600 bytes) lets its
            // announcement and 25 frames of 60 bytes in: 15 dropped.
            config.stationPolicies[vm(1)]?.ingressShaping = Shaping(averageKbps: 64, burstKBytes: 2, peakKbps: 128)
            config.stationPolicies[vm(1)]?.egressLimit = RateLimit(rateKbps: 64, burstKBytes: 1)
            // vm(2) has all three buckets each way, the third (1 kbyte) the tightest:
            // its announcement and 16 frames in (24 dropped), 17 of vm(1)'s 25 out.
            let wide = Shaping(averageKbps: 1000, burstKBytes: 4, peakKbps: 2000)
            let narrow = RateLimit(rateKbps: 64, burstKBytes: 1)
            config.stationPolicies[vm(2)]?.ingressShaping = wide
            config.stationPolicies[vm(2)]?.ingressLimit = narrow
            config.stationPolicies[vm(2)]?.egressShaping = wide
            config.stationPolicies[vm(2)]?.egressLimit = narrow
        }
        #expect(sw.statistics(vm(1)) == StationStatistics(mac: vm(1), port: 1, ingressPolicedDrops: 15))
        #expect(sw.statistics(vm(2)) == StationStatistics(mac: vm(2), port: 2, ingressPolicedDrops: 24,
                                                          egressPolicedDrops: 8))
    }

    @Test func onlyEtherTypeRulesUpToFourAreSummarized() throws {
        let sw = try PolicyTestSwitch { config in
            for number in 1...5 { config.acls[number] = ACLTests.deny { $0.etherType = UInt16(0x9000 + number) } }
            config.acls[6] = ACLTests.deny { $0.sourceMAC = MACMatch(address: vm(1)) }
            config[port: 1].acls = [4, 2, 3, 1]
            config[port: 2].acls = [1, 2, 3, 4, 5]
            config[port: 3].acls = [1, 6]
        }
        let acls = sw.pipeline.acls
        #expect(acls.summary(port: 1).count == 4)
        #expect(acls.summary(port: 1).firstMatch(etherType: 0x9003) == 3)
        #expect(acls.summary(port: 1).firstMatch(etherType: 0x9005) == 0)
        #expect(acls.summary(port: 1).firstMatch(etherType: 0x9041) == 0) // 0x9001's bit, another type
        #expect(acls.summary(port: 2).count == -1)
        #expect(acls.summary(port: 3).count == -1)
        #expect(acls.summary(port: 4).count == 0)
    }
}
