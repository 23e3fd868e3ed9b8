import Dataplane
import Frames
import SwitchTypes
import Testing
import Virtualization

/// The VMready configuration's own rules and what it resolves to for the VMs known.
@Suite struct VirtConfigurationTests {
    static let web = MACAddress(0x00, 0x50, 0x56, 0x9c, 0x00, 0xc8)
    static let db = MACAddress(0x00, 0x50, 0x56, 0x9c, 0x21, 0x2f)

    static func vm(_ mac: MACAddress, index: Int, port: Int, ip: IPv4Address = .zero) -> VMEntry {
        VMEntry(mac: mac, ip: ip, port: port, vlan: 1, index: index, kind: .vm, vendor: "VMware",
                firstSeen: Timestamp(seconds: 0))
    }

    @Test func aGroupTakesItsVLANFromOneSourceOnly() throws {
        var config = VirtConfiguration()
        try config.editProfile("web") { $0.vlan = 100 }
        try config.editGroup(10) { $0.profile = "web" }
        #expect(throws: VirtError.self) { try config.editGroup(10) { $0.vlan = 200 } }
        try config.editGroup(11) { $0.vlan = 200 }
        #expect(throws: VirtError.self) { try config.editGroup(11) { $0.profile = "web" } }
        try config.editProfile("db") { $0.shaping = nil }
        try config.editGroup(11) { $0.profile = "db" }
        #expect(throws: VirtError.self) { try config.editProfile("db") { $0.vlan = 300 } }
        #expect(config.effectiveVLAN(of: try #require(config.groups[10])) == 100)
        #expect(config.groupsUsing(vlan: 200) == [11])
    }

    @Test func aVMBelongsToOneGroup() throws {
        var config = VirtConfiguration()
        let known = VMLookup([Self.vm(Self.web, index: 5, port: 1, ip: IPv4Address(198, 18, 0, 5))])
        func alike(_ reference: VMReference) -> [VMReference] { reference.resolve(in: known).map(known.references(to:)) ?? [] }
        try config.addMember(.mac(Self.web), toGroup: 10, alike: alike(.mac(Self.web)))
        #expect(throws: VirtError.self) { try config.addMember(.mac(Self.web), toGroup: 11, alike: alike(.mac(Self.web))) }
        // Another name for the same live VM is the same VM.
        #expect(throws: VirtError.self) { try config.addMember(.index(5), toGroup: 11, alike: alike(.index(5))) }
        #expect(throws: VirtError.self) { try config.addMember(.ip(IPv4Address(198, 18, 0, 5)), toGroup: 11, alike: alike(.ip(IPv4Address(198, 18, 0, 5)))) }
        try config.addMember(.index(6), toGroup: 11, alike: alike(.index(6)))
        #expect(config.groups[11]?.members == [.index(6)])
    }

    @Test func profilesInUseCannotGo() throws {
        var config = VirtConfiguration()
        try config.editProfile("web") { $0.acls = [3] }
        try config.editGroup(10) { $0.profile = "web" }
        #expect(throws: VirtError.self) { try config.removeProfile("web") }
        #expect(config.aclsInUse == [3])
        try config.editGroup(10) { $0.profile = nil }
        try config.removeProfile("web")
        #expect(config.profiles.isEmpty)
        #expect(throws: VirtError.self) { try config.ensureGroup(4097) }
        #expect(throws: VirtError.self) { try config.ensureProfile("bad name") }
    }

    @Test func resolutionGivesLiveMembersTheirPolicyAndListsThePending() throws {
        var config = VirtConfiguration()
        config.enabled = true
        let shaping = Shaping(averageKbps: 1024, burstKBytes: 64, peakKbps: 2048)
        try config.editProfile("web") { p in
            p.vlan = 100
            p.shaping = shaping
            p.acls = [7]
        }
        try config.addMember(.mac(Self.web), toGroup: 10)
        try config.addMember(.index(1), toGroup: 10)
        try config.addMember(.name("ldap01"), toGroup: 10)
        try config.editGroup(10) { g in
            g.profile = "web"
            g.validation = .basic
        }
        config.editBandwidth(.mac(Self.db)) { b in
            b.txRate = RateLimit(rateKbps: 640, burstKBytes: 32)
            b.enabled = true
        }
        let vms = [Self.vm(Self.web, index: 0, port: 2), Self.vm(Self.db, index: 3, port: 3)]
        let resolution = VMPolicyResolution(config, vms: vms)
        #expect(resolution.groupOf == [Self.web: 10])
        #expect(resolution.pending[10] == [.index(1), .name("ldap01")])
        #expect(resolution.validated == [Self.web])
        #expect(resolution.stationPolicies[Self.web] == StationPolicy(vlan: 100, ingressShaping: shaping, acls: [7]))
        #expect(resolution.stationPolicies[Self.db] == StationPolicy(ingressLimit: RateLimit(rateKbps: 640, burstKBytes: 32)))
        config.enabled = false
        #expect(VMPolicyResolution(config, vms: vms).stationPolicies.isEmpty)
    }

    @Test func basicValidationFlagsUnannouncedMovesAndFlapping() throws {
        let table = VMTable()
        try table.configure(serverPorts: [1, 2, 3], validating: [Self.web], trustedPorts: [3])
        var events: [VMEvent] = []
        func observe(_ event: LearningEvent) { events += table.apply([event]).events }
        func takeEvents() -> [VMEvent] {
            defer { events = [] }
            return events
        }
        func frame(_ time: Int64, port: Int, rarp: Bool) -> LearningEvent {
            let bytes: [UInt8] = rarp
                ? [0xff, 0xff, 0xff, 0xff, 0xff, 0xff] + Self.web.octets + [0x80, 0x35, 0, 1, 8, 0, 6, 4, 0, 3]
                    + Self.web.octets + [0, 0, 0, 0] + Self.web.octets + [0, 0, 0, 0]
                : [0xff, 0xff, 0xff, 0xff, 0xff, 0xff] + Self.web.octets + [0x88, 0xb5] + [UInt8](repeating: 0, count: 46)
            let parsed = bytes.withUnsafeBytes { try? ParsedFrame(parsing: $0) }
            return LearningEvent(mac: Self.web, vlan: 1, port: port, previousPort: nil,
                                 time: Timestamp(seconds: time), frame: parsed!)
        }
        observe(frame(0, port: 1, rarp: false))
        observe(frame(100, port: 2, rarp: true))     // announced: fine
        observe(frame(200, port: 3, rarp: false))    // onto a trusted port: exempt
        observe(frame(300, port: 1, rarp: false))    // unannounced
        let suspicions = takeEvents().compactMap { event -> VMSuspicion? in
            if case .suspected(let s) = event { s } else { nil }
        }
        #expect(suspicions.map(\.reason) == [.unannounced])
        #expect(suspicions.first?.offendingPort == 1)
        for (second, port) in [(400, 2), (401, 1), (402, 2)] { observe(frame(Int64(second), port: port, rarp: true)) }
        let flaps = takeEvents().compactMap { event -> VMSuspicion? in
            if case .suspected(let s) = event { s } else { nil }
        }
        #expect(flaps.map(\.reason) == [.flapping])
        // A MAC leaving a port that is down is not a suspect.
        try table.configure(serverPorts: [1, 2, 3], validating: [Self.web], downPorts: [2])
        observe(frame(500, port: 1, rarp: false))
        #expect(!takeEvents().contains { if case .suspected = $0 { true } else { false } })
    }
}
