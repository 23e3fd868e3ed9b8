import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// A station's ACL list as the forwarding path specializes it for the frames
/// the station sends: rules whose source MAC filter excludes the station are
/// skipped, and a rule that filters on the source MAC alone decides without
/// matching. As a destination the station's whole list still applies.
@Suite struct StationACLListTests {
    /// Permits what VMware VMs send (00:50:56/24), counting hits.
    static var permitVMware: ACLRule {
        var rule = ACLRule()
        rule.sourceMAC = MACMatch(address: MACAddress(rawValue: 0x0050_5600_0000),
                                  mask: MACAddress(rawValue: 0xffff_ff00_0000))
        rule.action = .permit
        rule.statistics = true
        return rule
    }

    /// vm(1)'s list: 3 denies what vm(2) sends, 4 permits VMware senders, 5 denies IPv4.
    static func policies(_ config: inout BridgeConfiguration) {
        config.acls[3] = ACLTests.deny { $0.sourceMAC = MACMatch(address: vm(2)) }
        config.acls[4] = permitVMware
        config.acls[5] = ACLTests.deny { $0.etherType = EtherType.ipv4 }
        config.stationPolicies[vm(1)] = StationPolicy(acls: [3, 4, 5])
    }

    @Test func theListIsSpecializedForTheStationsOwnMAC() throws {
        let sw = try PolicyTestSwitch(StationACLListTests.policies)
        let table = sw.pipeline.stations
        let index = try #require(table.index(of: vm(1).rawValue))
        #expect(table.attributes[index].sourceACLSkip == 1)
        #expect(table.attributes[index].has(StationRecord.sourceACLDecided))
    }

    @Test func aDecidedListPermitsAndCountsWithoutMatching() throws {
        let sw = try PolicyTestSwitch(StationACLListTests.policies)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 2)
        // IPv4 from vm(1): rule 5 would deny it, but 4 comes first and decides.
        let udp = FrameBuilder.udp(from: vm(1), to: station(9), sourceIP: ACLTests.client,
                                   destinationIP: ACLTests.server)
        #expect(sw.send(udp, on: 1).map(\.port) == [2])
        #expect(sw.pipeline.aclHits() == [3: 0, 4: 1, 5: 0])
    }

    @Test func asADestinationTheWholeListApplies() throws {
        let sw = try PolicyTestSwitch(StationACLListTests.policies)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        // vm(2) (no policy of its own) sending to vm(1): rule 3, skipped for vm(1)'s own frames, denies.
        #expect(sw.send(FrameBuilder(destination: vm(1), source: vm(2)), on: 6).isEmpty)
        #expect(sw.pipeline.counters(port: 6).drops[.aclDeny] == 1)
        #expect(sw.statistics(vm(1))?.aclDrops == 1)
        // vm(1)'s own broadcast was permitted by rule 4.
        #expect(sw.pipeline.aclHits() == [3: 1, 4: 1, 5: 0])
    }

    @Test func aRuleThatAlsoFiltersTheDestinationIsMatched() throws {
        let sw = try PolicyTestSwitch { config in
            config.acls[6] = ACLTests.deny {
                $0.sourceMAC = MACMatch(address: vm(1))
                $0.destinationMAC = MACMatch(address: station(9))
            }
            config.acls[7] = StationACLListTests.permitVMware
            config.stationPolicies[vm(1)] = StationPolicy(acls: [6, 7])
        }
        let table = sw.pipeline.stations
        let index = try #require(table.index(of: vm(1).rawValue))
        #expect(table.attributes[index].sourceACLSkip == 0)
        #expect(!table.attributes[index].has(StationRecord.sourceACLDecided))
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(9)), on: 2)
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(8)), on: 3)
        #expect(sw.send(FrameBuilder(destination: station(9), source: vm(1)), on: 1).isEmpty)
        #expect(sw.send(FrameBuilder(destination: station(8), source: vm(1)), on: 1).map(\.port) == [3])
        #expect(sw.pipeline.aclHits() == [6: 1, 7: 1])
    }

    /// The vector path (classification a vector ahead) decides like the single-frame path,
    /// over several vectors and with frames the look-ahead must leave alone.
    @Test func batchesDecideLikeSingleFrames() throws {
        var frames: [(FrameBuilder, Int)] = [
            (FrameBuilder(destination: .broadcast, source: station(9)), 2),
            (FrameBuilder(destination: .broadcast, source: vm(1)), 1),
        ]
        for round in 0..<40 {
            frames.append((FrameBuilder(destination: vm(1), source: vm(2)), 3))
            frames.append((FrameBuilder.udp(from: vm(1), to: station(9), sourceIP: ACLTests.client,
                                            destinationIP: ACLTests.server), 1))
            frames.append((FrameBuilder(destination: station(9), source: vm(1), vlan: 0), round % 2 == 0 ? 1 : 4))
        }
        let single = try PolicyTestSwitch(StationACLListTests.policies)
        for (frame, port) in frames { single.pipeline.process(frame, on: port) }
        let batched = try PolicyTestSwitch(StationACLListTests.policies)
        let batch = FrameBatch(capacity: frames.count + 2)
        for (frame, port) in frames { frame.bytes.withUnsafeBytes { _ = batch.append($0, port: port) } }
        // Frames the bridge turns away: too short, and on a port that does not exist.
        [UInt8](repeating: 0, count: 10).withUnsafeBytes { _ = batch.append($0, port: 1) }
        frames[1].0.bytes.withUnsafeBytes { _ = batch.append($0, port: 9) }
        batched.pipeline.process(batch)
        single.pipeline.process([UInt8](repeating: 0, count: 10), on: 1)
        #expect(batched.sink.frames == single.sink.frames)
        #expect(batched.pipeline.allCounters() == single.pipeline.allCounters())
        #expect(batched.pipeline.stationStatistics() == single.pipeline.stationStatistics())
        #expect(batched.pipeline.aclHits() == single.pipeline.aclHits())
        #expect(single.pipeline.aclHits()[3] == 40)
    }
}
