import Dataplane
import Frames
import Testing
import Virtualization
import SwitchTypes

/// Who gets a VM when two groups name it, what a pending member by MAC already
/// carries into the dataplane, and which group may go.
@Suite struct VMMemberResolutionTests {
    static let web = MACAddress(0x00, 0x50, 0x56, 0x9c, 0x00, 0xc8)
    static let notAVM = MACAddress(0x02, 0x00, 0x00, 0x00, 0x00, 0x01)
    static let ip = IPv4Address(198, 18, 46, 25)

    static func config() -> VirtConfiguration {
        var config = VirtConfiguration()
        config.enabled = true
        return config
    }

    static let live = [VMEntry(mac: web, ip: ip, port: 1, vlan: 1, index: 0, kind: .vm, vendor: "VMware",
                               firstSeen: Timestamp(seconds: 0))]

    @Test(arguments: [5, 20])
    func theGroupNamingTheVMByMACHoldsItAndTheOtherStaysPending(_ other: Int) throws {
        var config = Self.config()
        // Added before the VM was seen, so neither could be refused.
        try config.addMember(.mac(Self.web), toGroup: 10)
        try config.addMember(.ip(Self.ip), toGroup: other)
        try config.editGroup(10) { $0.vlan = 100 }
        try config.editGroup(other) { $0.vlan = 200 }
        let resolution = VMPolicyResolution(config, vms: Self.live)
        #expect(resolution.groupOf == [Self.web: 10])
        #expect(resolution.stationPolicies[Self.web]?.vlan == 100)
        #expect(resolution.pending[other] == [.ip(Self.ip)])
        #expect(resolution.conflicts == [VMMemberConflict(group: other, member: .ip(Self.ip), vm: Self.web, heldBy: 10)])
    }

    @Test func aPendingMemberByMACAlreadyCarriesItsPolicy() throws {
        var config = Self.config()
        try config.addMember(.mac(Self.web), toGroup: 10)
        try config.addMember(.mac(Self.notAVM), toGroup: 10)
        try config.addMember(.index(3), toGroup: 10)
        try config.editGroup(10) { g in
            g.vlan = 100
            g.validation = .basic
        }
        let resolution = VMPolicyResolution(config, vms: [])
        #expect(resolution.groupOf.isEmpty)
        #expect(resolution.pending[10] == [.mac(Self.web), .mac(Self.notAVM), .index(3)])
        // Only a MAC of a VM OUI: another MAC is never detected as a VM.
        #expect(resolution.stationPolicies == [Self.web: StationPolicy(vlan: 100)])
        #expect(resolution.validated == [Self.web])
        // Once seen, the policy is the same one: nothing to change in the dataplane.
        let seen = VMPolicyResolution(config, vms: Self.live)
        #expect(seen.stationPolicies == resolution.stationPolicies)
        #expect(seen.groupOf == [Self.web: 10])
    }

    @Test func whenTwoReferencesNameOneVMItsMACSetsItsLimits() throws {
        var config = Self.config()
        // Eight VMs, each limited by index and by MAC: a dictionary's order would pick
        // the MAC's limits for all eight one time in 256.
        let vms = (0..<8).map { n in
            VMEntry(mac: MACAddress(rawValue: Self.web.rawValue + UInt64(n)), port: 1, vlan: 1, index: n, kind: .vm,
                    vendor: "VMware", firstSeen: Timestamp(seconds: 0))
        }
        for vm in vms {
            config.editBandwidth(.index(vm.index)) { b in
                b.txRate = RateLimit(rateKbps: 128, burstKBytes: 8)
                b.enabled = true
            }
            config.editBandwidth(.mac(vm.mac)) { b in
                b.txRate = RateLimit(rateKbps: 640, burstKBytes: 32)
                b.enabled = true
            }
        }
        let policies = VMPolicyResolution(config, vms: vms).stationPolicies
        #expect(vms.allSatisfy { policies[$0.mac]?.ingressLimit == RateLimit(rateKbps: 640, burstKBytes: 32) })
    }

    @Test func aGroupWithMembersCannotGo() throws {
        var config = Self.config()
        try config.addMember(.mac(Self.web), toGroup: 10)
        try config.editGroup(11) { $0.ports = [3] }
        for number in [10, 11] {
            #expect(throws: VirtError("VM group \(number) has members; remove them first")) {
                try config.removeGroup(number)
            }
        }
        try config.removeMember(.mac(Self.web), fromGroup: 10)
        try config.removeGroup(10)
        #expect(config.groups[10] == nil)
    }
}
