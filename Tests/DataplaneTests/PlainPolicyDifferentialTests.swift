import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// `decide` is one function with a copy per loop: the plain copy (no policy
/// anywhere), the single-frame policy copy and the vector copy. For frames no
/// policy touches, all three must decide alike: the same random traffic (every
/// frame form the bridge distinguishes: untagged, tagged in and out of the
/// port's VLANs, priority-tagged, S-tagged whole and cut short, runts,
/// broadcast, multicast, unknown and known unicast, reflective relay, a
/// disabled port) through a switch without policies, one whose only policy is
/// a port ACL that matches nothing (the single-frame policy copy) and one whose
/// only policy is a station that never sends, and the first and last of them
/// in batches as well (the plain and the policy vector copies) must leave the
/// same frames on the same ports with the same counters and MAC table.
@Suite struct PlainPolicyDifferentialTests {
    /// Hosts 02:00:00:00:00:01-24: locally administered, so no station and no VM OUI.
    static func host(_ number: Int) -> MACAddress { MACAddress(rawValue: 0x0200_0000_0000 | UInt64(number)) }

    /// PolicyTestSwitch's ports, plus p3 a trunk as p5 is (tagged traffic crosses the
    /// switch), p4 in reflective relay and p6 in VLAN 100, down half the time.
    static func configure(_ config: inout BridgeConfiguration, downPort: Bool) {
        config[port: 3].mode = .trunk
        config[port: 4].reflectiveRelay = true
        config[port: 6].accessVLAN = 100
        config[port: 6].isEnabled = !downPort
    }

    static func randomFrame(_ random: inout StationUpdateDifferentialTests.SeededGenerator) -> [UInt8] {
        let destinations: [MACAddress] = (1...24).map(host) + [.broadcast, MACAddress(rawValue: 0x0100_5e00_0001),
                                                                MACAddress(rawValue: 0x0180_c200_000e)]
        var frame = FrameBuilder(destination: destinations.randomElement(using: &random)!,
                                 source: host(Int.random(in: 1...24, using: &random)))
        switch Int.random(in: 0..<8, using: &random) {
        case 0: frame.tags = [(EtherType.vlan, 100)]
        case 1: frame.tags = [(EtherType.vlan, 200)]
        case 2: frame.tags = [(EtherType.vlan, 0x6000)]                 // priority-tagged, PCP 3
        case 3: frame.tags = [(EtherType.vlan, 300)]                    // a VLAN that does not exist
        case 4: frame.tags = [(EtherType.serviceVLAN, 10)]
        default: break
        }
        var bytes = frame.bytes
        // Now and then cut short: a runt, a tag without its type, an S-tag without its C-tag.
        if Int.random(in: 0..<12, using: &random) == 0 { bytes.removeLast(bytes.count - Int.random(in: 6...21, using: &random)) }
        return bytes
    }

    @Test(arguments: [false, true])
    func everyCopyDecidesAlike(downPort: Bool) throws {
        var random = StationUpdateDifferentialTests.SeededGenerator(state: downPort ? 21_3 : 21_1)
        let frames = (0..<4000).map { _ in (Self.randomFrame(&random), Int.random(in: 1...6, using: &random)) }

        let plain = try PolicyTestSwitch { Self.configure(&$0, downPort: downPort) }
        let portACL = try PolicyTestSwitch {
            Self.configure(&$0, downPort: downPort)
            $0.acls[50] = ACLTests.deny { $0.etherType = 0x9999 }
            $0[port: 2].acls = [50]
        }
        let station = try PolicyTestSwitch {
            Self.configure(&$0, downPort: downPort)
            $0.stationPolicies[vm(77)] = StationPolicy(vlan: 200)
        }
        #expect(!plain.pipeline.policyActive && portACL.pipeline.policyActive && station.pipeline.policyActive)

        // One frame at a time on each, and the station's switch in batches of 64 as well.
        var egress: [[EgressFrame]] = [[], [], []]
        for (bytes, port) in frames {
            for (index, sw) in [plain, portACL, station].enumerated() {
                sw.pipeline.process(bytes, on: port)
                egress[index] += sw.sink.take()
            }
        }
        // And in batches of 64: the plain vector copy, and the policy one.
        let plainBatched = try PolicyTestSwitch { Self.configure(&$0, downPort: downPort) }
        let batched = try PolicyTestSwitch {
            Self.configure(&$0, downPort: downPort)
            $0.stationPolicies[vm(77)] = StationPolicy(vlan: 200)
        }
        for sw in [plainBatched, batched] {
            for start in stride(from: 0, to: frames.count, by: 64) {
                let batch = FrameBatch(capacity: 64)
                for (bytes, port) in frames[start..<min(start + 64, frames.count)] {
                    bytes.withUnsafeBytes { _ = batch.append($0, port: port) }
                }
                sw.pipeline.process(batch)
            }
        }
        let plainBatchedEgress = plainBatched.sink.take()
        let batchedEgress = batched.sink.take()

        #expect(egress[0].count > 2000, "the traffic should mostly be forwarded or flooded")
        for (name, other) in [("port ACL", egress[1]), ("station", egress[2]), ("plain batched", plainBatchedEgress),
                              ("station batched", batchedEgress)] {
            #expect(other.map(\.port) == egress[0].map(\.port), "\(name): egress ports")
            #expect(other.map(\.bytes) == egress[0].map(\.bytes), "\(name): egress frames")
        }
        for sw in [portACL, station, plainBatched, batched] {
            #expect(sw.pipeline.allCounters() == plain.pipeline.allCounters())
        }
        let entries = { (sw: PolicyTestSwitch) in sw.pipeline.macEntries().map { "\($0)" }.sorted() }
        for sw in [portACL, station, plainBatched, batched] { #expect(entries(sw) == entries(plain)) }
    }
}
