import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Access-control lists on ports and in station policies: every filter kind,
/// masks, evaluation order, inactive rules, statistics.
@Suite struct ACLTests {
    static let client = IPv4Address(198, 18, 0, 10)
    static let server = IPv4Address(198, 19, 1, 20)

    /// A deny rule built by `edit` (statistics on).
    static func deny(_ edit: (inout ACLRule) -> Void) -> ACLRule {
        var rule = ACLRule()
        edit(&rule)
        rule.action = .deny
        rule.statistics = true
        return rule
    }

    /// A UDP datagram from `client` to `server` (ports 4000 → 53), station 1 to 2.
    static func udp(sourcePort: UInt16 = 4000, destinationPort: UInt16 = 53) -> FrameBuilder {
        FrameBuilder.udp(from: station(1), to: station(2), sourceIP: client, destinationIP: server,
                         sourcePort: sourcePort, destinationPort: destinationPort)
    }

    /// The same datagram with another IP protocol number, and optionally fragment bits.
    static func ipv4(protocol number: UInt8, fragment: UInt16 = 0) -> FrameBuilder {
        var frame = udp()
        frame.payload[9] = number
        frame.payload[6] = UInt8(fragment >> 8)
        frame.payload[7] = UInt8(fragment & 0xff)
        return frame
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var rule: ACLRule
        var frame: [UInt8]
        var denied: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = caseFrames.map { Case(name: $0.name, rule: $0.rule, frame: $0.frame.bytes, denied: $0.denied) }

    static var caseFrames: [(name: String, rule: ACLRule, frame: FrameBuilder, denied: Bool)] { [
        (name: "source MAC", rule: deny { $0.sourceMAC = MACMatch(address: station(1)) }, frame: udp(), denied: true),
        (name: "source MAC other", rule: deny { $0.sourceMAC = MACMatch(address: station(3)) }, frame: udp(),
             denied: false),
        (name: "source MAC masked", rule: deny {
            $0.sourceMAC = MACMatch(address: MACAddress(rawValue: 0x0200_0000_00ff), mask: MACAddress(rawValue: 0xffff_ffff_ff00))
        }, frame: udp(), denied: true),
        (name: "destination MAC", rule: deny { $0.destinationMAC = MACMatch(address: station(2)) }, frame: udp(),
             denied: true),
        (name: "destination MAC masked out", rule: deny {
            $0.destinationMAC = MACMatch(address: station(3), mask: .broadcast)
        }, frame: udp(), denied: false),
        (name: "ethertype IPv4", rule: deny { $0.etherType = EtherType.ipv4 }, frame: udp(), denied: true),
        (name: "ethertype ARP on IPv4", rule: deny { $0.etherType = EtherType.arp }, frame: udp(), denied: false),
        (name: "ethertype after a tag", rule: deny { $0.etherType = EtherType.ipv4 }, frame: {
            var frame = udp()
            frame.tags = [(EtherType.vlan, 0)] // priority-tagged
            return frame
        }(), denied: true),
        (name: "source IP /24", rule: deny {
            $0.sourceIP = IPv4Match(address: IPv4Address(198, 18, 0, 0), mask: IPv4Address(255, 255, 255, 0))
        }, frame: udp(), denied: true),
        (name: "source IP host other", rule: deny { $0.sourceIP = IPv4Match(address: IPv4Address(198, 18, 0, 11)) },
             frame: udp(), denied: false),
        (name: "destination IP /16", rule: deny {
            $0.destinationIP = IPv4Match(address: IPv4Address(198, 19, 0, 0), mask: IPv4Address(255, 255, 0, 0))
        }, frame: udp(), denied: true),
        (name: "IP filter on non-IP", rule: deny {
            $0.sourceIP = IPv4Match(address: .zero, mask: .zero)
        }, frame: FrameBuilder(destination: station(2), source: station(1)), denied: false),
        (name: "protocol UDP", rule: deny { $0.ipProtocol = 17 }, frame: udp(), denied: true),
        (name: "protocol TCP on UDP", rule: deny { $0.ipProtocol = 6 }, frame: udp(), denied: false),
        (name: "destination port", rule: deny { $0.destinationPort = L4PortMatch(port: 53) }, frame: udp(),
             denied: true),
        (name: "destination port other", rule: deny { $0.destinationPort = L4PortMatch(port: 54) }, frame: udp(),
             denied: false),
        (name: "source port masked", rule: deny { $0.sourcePort = L4PortMatch(port: 4096, mask: 0xf000) },
             frame: udp(sourcePort: 4000), denied: false),
        (name: "source port masked match", rule: deny { $0.sourcePort = L4PortMatch(port: 0x0f00, mask: 0xff00) },
             frame: udp(sourcePort: 0x0fa0), denied: true),
        (name: "port on TCP", rule: deny { $0.destinationPort = L4PortMatch(port: 53) },
             frame: ipv4(protocol: 6), denied: true),
        (name: "port on ICMP", rule: deny { $0.destinationPort = L4PortMatch(port: 0, mask: 0) },
             frame: ipv4(protocol: 1), denied: false),
        (name: "port on a first fragment", rule: deny { $0.destinationPort = L4PortMatch(port: 53) },
             frame: ipv4(protocol: 17, fragment: 0x2000), denied: false),
        (name: "port on a later fragment", rule: deny { $0.destinationPort = L4PortMatch(port: 0, mask: 0) },
             frame: ipv4(protocol: 17, fragment: 0x0010), denied: false),
        (name: "all filters", rule: deny {
            $0.sourceMAC = MACMatch(address: station(1))
            $0.destinationMAC = MACMatch(address: station(2))
            $0.etherType = EtherType.ipv4
            $0.sourceIP = IPv4Match(address: client)
            $0.destinationIP = IPv4Match(address: server)
            $0.ipProtocol = 17
            $0.sourcePort = L4PortMatch(port: 4000)
            $0.destinationPort = L4PortMatch(port: 53)
        }, frame: udp(), denied: true),
        (name: "all filters but one", rule: deny {
            $0.sourceMAC = MACMatch(address: station(1))
            $0.ipProtocol = 17
            $0.destinationPort = L4PortMatch(port: 5353)
        }, frame: udp(), denied: false),
    ] }

    @Test(arguments: cases)
    func portACLFilters(testCase: Case) throws {
        let sw = try PolicyTestSwitch { config in
            config.acls[10] = testCase.rule
            config[port: 6].acls = [10]
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(2)), on: 2)
        let out = sw.send(testCase.frame, on: 6)
        #expect(out.map(\.port) == (testCase.denied ? [] : [2]))
        #expect(sw.pipeline.counters(port: 6).drops[.aclDeny] == (testCase.denied ? 1 : nil))
        #expect(sw.pipeline.aclHits() == [10: testCase.denied ? 1 : 0])
        #expect(everyFrameAccounted(sw.pipeline))
    }

    @Test func theFirstMatchingRuleInAscendingOrderDecides() throws {
        let sw = try PolicyTestSwitch { config in
            config.acls[20] = ACLTests.deny { $0.etherType = EtherType.ipv4 }
            var permit = ACLRule()
            permit.destinationPort = L4PortMatch(port: 53)
            permit.action = .permit
            permit.statistics = true
            config.acls[5] = permit
            config[port: 6].acls = [20, 5] // evaluated 5, then 20
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(2)), on: 2)
        #expect(sw.send(ACLTests.udp(), on: 6).map(\.port) == [2])
        #expect(sw.send(ACLTests.udp(destinationPort: 80), on: 6).isEmpty)
        #expect(sw.pipeline.aclHits() == [5: 1, 20: 1])
    }

    @Test func anInactiveRuleMatchesNothing() throws {
        let sw = try PolicyTestSwitch { config in
            var rule = ACLRule()
            rule.sourceMAC = MACMatch(address: station(1))
            rule.statistics = true
            config.acls[1] = rule // no action yet
            config[port: 6].acls = [1]
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: station(2)), on: 2)
        #expect(sw.send(ACLTests.udp(), on: 6).map(\.port) == [2])
        #expect(sw.pipeline.aclHits() == [1: 0])
    }

    @Test func onlyRulesWithStatisticsCount() throws {
        let sw = try PolicyTestSwitch { config in
            var quiet = ACLTests.deny { $0.etherType = EtherType.ipv4 }
            quiet.statistics = false
            config.acls[1] = quiet
            config[port: 6].acls = [1]
        }
        #expect(sw.send(ACLTests.udp(), on: 6).isEmpty)
        #expect(sw.pipeline.aclHits() == [:])
        #expect(sw.pipeline.counters(port: 6).drops[.aclDeny] == 1)
    }

    @Test func hitsAreClearedWithTheCountersOrAlone() throws {
        let sw = try PolicyTestSwitch { config in
            config.acls[3] = ACLTests.deny { $0.etherType = EtherType.ipv4 }
            config[port: 6].acls = [3]
        }
        _ = sw.send(ACLTests.udp(), on: 6)
        _ = sw.send(ACLTests.udp(), on: 6)
        #expect(sw.pipeline.aclHits() == [3: 2])
        sw.pipeline.clearACLStatistics()
        #expect(sw.pipeline.aclHits() == [3: 0])
        _ = sw.send(ACLTests.udp(), on: 6)
        sw.pipeline.clearCounters()
        #expect(sw.pipeline.aclHits() == [3: 0])
        // Changing the ACL keeps its count; deleting it forgets it.
        _ = sw.send(ACLTests.udp(), on: 6)
        try sw.reconfigure { $0.acls[3]?.ipProtocol = 17 }
        #expect(sw.pipeline.aclHits() == [3: 1])
        try sw.reconfigure { config in
            config[port: 6].acls = []
            config.acls[3] = nil
        }
        #expect(sw.pipeline.aclHits() == [:])
        #expect(sw.send(ACLTests.udp(), on: 6).count == 5) // flooded: no ACL left
    }

    @Test func aPortACLWinsOverAStationACL() throws {
        let sw = try PolicyTestSwitch { config in
            var permit = ACLRule()
            permit.etherType = EtherType.ipv4
            permit.action = .permit
            config.acls[1] = permit
            config.acls[2] = ACLTests.deny { $0.etherType = EtherType.ipv4 }
            config[port: 1].acls = [1]
            config.stationPolicies[vm(1)] = StationPolicy(acls: [2])
        }
        let frame = FrameBuilder.udp(from: vm(1), to: .broadcast, sourceIP: ACLTests.client,
                                     destinationIP: ACLTests.server)
        #expect(sw.send(frame, on: 1).count == 5)
        #expect(sw.pipeline.aclHits() == [2: 0])
        // On port 2, without a port ACL, the station's deny applies.
        #expect(sw.send(frame, on: 2).isEmpty)
        #expect(sw.pipeline.counters(port: 2).drops[.aclDeny] == 1)
        #expect(sw.statistics(vm(1))?.aclDrops == 1)
    }

    @Test func aStationACLAppliesToFramesToTheStation() throws {
        let sw = try PolicyTestSwitch { config in
            config.acls[2] = ACLTests.deny { $0.ipProtocol = 17 }
            config.stationPolicies[vm(1)] = StationPolicy(acls: [2])
        }
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 1)
        let toVM = FrameBuilder.udp(from: station(9), to: vm(1), sourceIP: ACLTests.server,
                                    destinationIP: ACLTests.client)
        #expect(sw.send(toVM, on: 6).isEmpty)
        #expect(sw.pipeline.counters(port: 6).drops[.aclDeny] == 1)
        #expect(sw.statistics(vm(1))?.aclDrops == 1)
        // Non-UDP to it passes; UDP flooded (unknown destination) is not the station's traffic.
        #expect(sw.send(FrameBuilder(destination: vm(1), source: station(9)), on: 6).map(\.port) == [1])
        let flooded = FrameBuilder.udp(from: station(9), to: station(50), sourceIP: ACLTests.server,
                                       destinationIP: ACLTests.client)
        #expect(sw.send(flooded, on: 6).count == 5)
        // Off the policy ports the station's ACLs do not follow it.
        _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(1)), on: 5)
        #expect(sw.send(toVM, on: 6).map(\.port) == [5])
    }
}
