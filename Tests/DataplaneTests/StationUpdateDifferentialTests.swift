import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// A pipeline fed a random sequence of station updates must forward, classify,
/// count and place VLANs exactly like a pipeline that compiled the resulting
/// set as a whole: same egress frames on the same ports for the same probe
/// frames, same counters, same station statistics, same membership.
@Suite struct StationUpdateDifferentialTests {
    /// SplitMix64: the same sequence on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    /// ACLs 10-13: deny IPv4; permit (and count) VMware senders; deny frames to
    /// even-numbered VMs; deny frames from vm(7).
    static func acls(_ config: inout BridgeConfiguration) {
        config.acls[10] = ACLTests.deny { $0.etherType = EtherType.ipv4 }
        config.acls[11] = StationACLListTests.permitVMware
        config.acls[12] = ACLTests.deny {
            $0.destinationMAC = MACMatch(address: vm(0), mask: MACAddress(rawValue: 0xffff_ff00_0001))
        }
        config.acls[13] = ACLTests.deny { $0.sourceMAC = MACMatch(address: vm(7)) }
    }

    static func randomPolicy(_ random: inout SeededGenerator) -> StationPolicy {
        var policy = StationPolicy()
        policy.vlan = [0, 100, 200, 200, 100][Int.random(in: 0..<5, using: &random)]
        policy.tagged = policy.vlan != 0 && Int.random(in: 0..<4, using: &random) == 0
        if Bool.random(using: &random) {
            policy.ingressShaping = Shaping(averageKbps: 64 * Int.random(in: 1...4, using: &random),
                                            burstKBytes: Int.random(in: 1...8, using: &random), peakKbps: 512)
        }
        if Int.random(in: 0..<3, using: &random) == 0 {
            policy.egressLimit = RateLimit(rateKbps: 64 * Int.random(in: 1...4, using: &random),
                                           burstKBytes: Int.random(in: 1...8, using: &random))
        }
        policy.acls = [10, 11, 12, 13].filter { _ in Int.random(in: 0..<3, using: &random) == 0 }
        policy.locationHint = [nil, 1, 2, 3, 4, 6][Int.random(in: 0..<6, using: &random)]
        return policy
    }

    /// Where VM `number` first sends from: a server port, or the plain port now and then.
    static func home(_ number: Int) -> Int { number % 9 == 0 ? PolicyTestSwitch.plainPort : number % 4 + 1 }

    @Test func updatesForwardLikeAWholeCompile() throws {
        var random = SeededGenerator(state: 20_261_130)
        let pool = 1...1400
        var initial: [MACAddress: StationPolicy] = [:]
        // The first stations have no VLAN: their first frames are learned in VLAN 1, which
        // their ports keep. (A station's entry in a VLAN its port carried for other
        // stations outlives that membership until it ages; a whole compile sweeps it.)
        for number in 1...40 {
            var policy = StationUpdateDifferentialTests.randomPolicy(&random)
            policy.vlan = 0
            policy.tagged = false
            initial[vm(number)] = policy
        }
        let edit = { (config: inout BridgeConfiguration) in
            StationUpdateDifferentialTests.acls(&config)
            config.stationPolicies = initial
        }
        let updated = try PolicyTestSwitch(edit)
        let compiled = try PolicyTestSwitch(edit)
        // The same history for both: every VM of the pool is learned once.
        for sw in [updated, compiled] {
            for number in pool {
                _ = sw.send(FrameBuilder(destination: .broadcast, source: vm(number)), on: StationUpdateDifferentialTests.home(number))
            }
        }

        // Updates in small batches: new stations (never one removed before: a new
        // station starts afresh, which a whole compile cannot tell), changes, removals.
        var installed = initial
        var unused = Array(41...1400)
        var retired = 0
        for _ in 0..<900 {
            var batch: [MACAddress: StationPolicy?] = [:]
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                let roll = Int.random(in: 0..<20, using: &random)
                let candidates = installed.keys.filter { batch[$0] == nil }.sorted()
                if roll < 10 || candidates.isEmpty, !unused.isEmpty {
                    let mac = vm(unused.removeFirst())
                    batch[mac] = StationUpdateDifferentialTests.randomPolicy(&random)
                } else if roll < 13, let mac = candidates.randomElement(using: &random) {
                    batch[mac] = StationUpdateDifferentialTests.randomPolicy(&random)
                } else if let mac = candidates.randomElement(using: &random) {
                    batch[mac] = .some(nil)
                    retired += 1
                }
            }
            updated.pipeline.updateStationPolicies(batch)
            for (mac, policy) in batch { installed[mac] = policy }
        }
        try compiled.reconfigure { $0.stationPolicies = installed }
        // The run went through growth and a compaction of the index space.
        // Each removal leaves a hole until a compaction: fewer holes than removals means one ran.
        #expect(updated.pipeline.stations.holeCount < retired)

        #expect(updated.pipeline.stationStatistics() == compiled.pipeline.stationStatistics())
        for vlan: UInt16 in [1, 100, 200] { #expect(updated.membership(vlan) == compiled.membership(vlan)) }

        // Probes: to each VM from the uplink in one of the VLANs, from it to the
        // uplink station, and an IPv4 broadcast from it.
        var differences = 0
        for number in 1...1400 {
            let mac = vm(number)
            let vlan: UInt16 = [1, 100, 200][number % 3]
            // Longer than the smallest egress bucket (1 KB), shorter than the others.
            var toStation = FrameBuilder(destination: mac, source: station(9), vlan: vlan)
            toStation.payload = Array(repeating: 0x5a, count: 1200)
            let probes: [(FrameBuilder, Int)] = [
                (toStation, PolicyTestSwitch.uplink),
                (FrameBuilder(destination: station(9), source: mac), StationUpdateDifferentialTests.home(number)),
                (StationUpdateTests.udp(from: mac, to: .broadcast), StationUpdateDifferentialTests.home(number)),
            ]
            for (frame, port) in probes where updated.send(frame, on: port) != compiled.send(frame, on: port) {
                differences += 1
            }
        }
        #expect(differences == 0)
        #expect(updated.pipeline.allCounters() == compiled.pipeline.allCounters())
        #expect(updated.pipeline.stationStatistics() == compiled.pipeline.stationStatistics())
        #expect(updated.pipeline.aclHits() == compiled.pipeline.aclHits())
        for vlan: UInt16 in [1, 100, 200] { #expect(updated.membership(vlan) == compiled.membership(vlan)) }
    }
}
