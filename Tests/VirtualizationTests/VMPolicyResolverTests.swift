import FrameTestSupport
import Frames
import SwitchTypes
import Synchronization
import Testing
import Virtualization

/// The VM table keeps every VM's policy current one MAC at a time; `VMPolicyResolution`
/// computes the same answers from scratch. A seeded random walk of detections, new IPs
/// and configuration edits holds the two to each other after every step, and holds what
/// the dataplane was sent (the sink's changes, applied in order) to both.
@Suite struct VMPolicyResolverTests {
    /// Seeded draws, so a failing step replays by its seed.
    struct Draws {
        var generator: SplitMix
        init(state: UInt64) { generator = SplitMix(state: state) }
        mutating func next(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    }

    /// What the dataplane holds after applying the sink's changes in order.
    final class Installed: Sendable {
        let policies = Mutex<[MACAddress: StationPolicy]>([:])
        func apply(_ changes: VMPolicyChanges) {
            policies.withLock { installed in
                for (mac, policy) in changes.policies {
                    var policy = policy
                    policy?.locationHint = nil
                    installed[mac] = policy
                }
            }
        }
    }

    static func vmMAC(_ n: Int) -> MACAddress { mac(oui: 0x005056, UInt32(n)) }
    static func ip(_ n: Int) -> IPv4Address { IPv4Address(198, 18, 0, UInt8(n)) }

    static func station(_ mac: MACAddress, port: Int, ip: IPv4Address?, second: Int64) -> LearningEvent {
        var bytes: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff] + mac.octets
        if let ip {
            // An ARP request from the VM: its sender IP is what the VM table learns.
            bytes += [0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1] + mac.octets + Self.bytes(of: ip) + [0, 0, 0, 0, 0, 0] + [198, 18, 0, 254]
        } else {
            bytes += [0x88, 0xb5] + [UInt8](repeating: 0, count: 46)
        }
        let parsed = bytes.withUnsafeBytes { try? ParsedFrame(parsing: $0) }
        return LearningEvent(mac: mac, vlan: 1, port: port, previousPort: nil, time: Timestamp(seconds: second), frame: parsed!)
    }

    static func bytes(of ip: IPv4Address) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: ip.rawValue >> (24 - 8 * $0)) }
    }

    @Test(arguments: [1, 2, 3, 4])
    func incrementalPoliciesMatchTheWholeTableAfterEveryStep(seed: Int) throws {
        var draws = Draws(state: UInt64(seed))
        let table = VMTable(serverPorts: [1, 2, 3])
        let installed = Installed()
        table.setPolicySink { installed.apply($0) }
        var config = VirtConfiguration()
        config.enabled = true
        config.serverPorts = [1, 2, 3]
        var vlans: Set<UInt16> = [1, 100, 200]
        for step in 0..<400 {
            switch draws.next(0...11) {
            case 0, 1, 2:
                // A VM appears, moves, or says its (possibly new, possibly shared) IP.
                let n = draws.next(0...40)
                let ip = draws.next(0...2) == 0 ? nil : Self.ip(draws.next(1...12))
                _ = table.apply([Self.station(Self.vmMAC(n), port: draws.next(1...3), ip: ip, second: Int64(step))])
            case 3, 4:
                let references: [VMReference] = [.mac(Self.vmMAC(draws.next(0...40))), .index(draws.next(0...30)),
                                                 .ip(Self.ip(draws.next(1...12)))]
                let member = references[draws.next(0...2)]
                let group = draws.next(1...4)
                if config.memberGroups[member] == group {
                    try config.removeMember(member, fromGroup: group)
                } else if config.memberGroups[member] == nil {
                    // Refusals (another reference to the same VM elsewhere) are part of the walk.
                    try? config.addMember(member, toGroup: group, alike: table.references(alike: member))
                }
            case 5:
                let group = draws.next(1...4)
                let vlan: UInt16? = [nil, 100, 200, 300][draws.next(0...3)]
                try? config.editGroup(group) { g in
                    g.vlan = vlan
                    g.tagged = draws.next(0...3) == 0
                    g.validation = draws.next(0...1) == 0 ? .basic : nil
                }
            case 6:
                let name = ["web", "db"][draws.next(0...1)]
                let vlan: UInt16? = [nil, 100, 300][draws.next(0...2)]
                try? config.editProfile(name) { p in
                    p.vlan = vlan
                    p.acls = draws.next(0...1) == 0 ? [] : [draws.next(1...3)]
                }
            case 7:
                try? config.editGroup(draws.next(1...4)) { g in g.profile = [nil, "web", "db"][draws.next(0...2)] }
            case 8:
                let references: [VMReference] = [.mac(Self.vmMAC(draws.next(0...40))), .index(draws.next(0...30)),
                                                 .ip(Self.ip(draws.next(1...12)))]
                let rate = RateLimit(rateKbps: 64 * draws.next(1...100), burstKBytes: draws.next(1...64))
                config.editBandwidth(references[draws.next(0...2)]) { b in
                    b.txRate = draws.next(0...3) == 0 ? nil : rate
                    b.enabled = draws.next(0...2) != 0
                }
            case 9:
                // VLAN 300 comes and goes: policies in it wait for it.
                if vlans.contains(300) { vlans.remove(300) } else { vlans.insert(300) }
            case 10:
                if draws.next(0...9) == 0 { config.enabled.toggle() }
            default:
                if draws.next(0...19) == 0 {
                    // Dropping VMware's OUI forgets its VMs; putting it back re-detects them.
                    if config.ouiTable.vendor(forOUI: 0x005056) == nil {
                        config.ouiTable.set(0x005056, vendor: "VMware")
                    } else {
                        _ = config.ouiTable.remove(0x005056)
                    }
                }
            }
            table.reconfigure(config, vlans: vlans, trustedPorts: [], downPorts: [])
            let whole = VMPolicyResolution(config, vms: table.entries())
            let expected = whole.stationPolicies.filter { $0.value.vlan == 0 || vlans.contains($0.value.vlan) }
            #expect(table.installedPolicies == expected, "seed \(seed) step \(step)")
            #expect(table.groupOf == whole.groupOf, "seed \(seed) step \(step)")
            #expect(installed.policies.withLock { $0 } == expected, "seed \(seed) step \(step)")
            if table.installedPolicies != expected || table.groupOf != whole.groupOf { return }
        }
    }
}
