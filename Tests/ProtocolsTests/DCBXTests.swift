import Frames
import Protocols
import Testing

/// DCBX's configuration rules and 802.1Qaz's willing logic: what a port advertises and
/// what it runs with, from its own settings and its peer's last LLDPDU.
@Suite struct DCBXTests {
    static let low = MACAddress(0x02, 0, 0, 0, 0, 0x01)
    static let high = MACAddress(0x02, 0, 0, 0, 0, 0x09)

    static func settings() -> DCBXSettings {
        var settings = DCBXSettings()
        settings.enabled = true
        settings.priorityGroups = [0: .init(priorities: [0, 1, 2, 5, 6, 7], bandwidth: 40), 1: .init(priorities: [3, 4], bandwidth: 60)]
        settings.pfcPriorities = [3]
        settings.applications = [ApplicationPriorityEntry(priority: 3, selector: ApplicationPriorityEntry.Selector.etherType,
                                                          protocolID: 0x8906)]
        return settings
    }

    static func peer(mac: MACAddress, pfcWilling: Bool, recommendation: ETSTables? = nil, pfc: UInt8 = 0b0001_0000,
                     applications: [ApplicationPriorityEntry] = []) -> LLDPDU {
        var tlvs: [LLDPTLV] = [.organizational(.pfcConfiguration(PFCConfiguration(willing: pfcWilling, macsecBypassCapability: false,
                                                                                  capability: 8, enabled: pfc)))]
        if let recommendation { tlvs.append(.organizational(.etsRecommendation(recommendation))) }
        if !applications.isEmpty { tlvs.append(.organizational(.applicationPriority(ApplicationPriority(entries: applications)))) }
        return LLDPDU(chassisID: .macAddress(mac), portID: .interfaceName("eth0"), timeToLive: 120, tlvs: tlvs)
    }

    @Test func groupsMakeTheETSTablesAndBadOnesAreExplained() {
        var settings = Self.settings()
        #expect(settings.etsProblem == nil)
        #expect(settings.etsTables.priorityTrafficClass == [0, 0, 0, 1, 1, 0, 0, 0])
        #expect(settings.etsTables.trafficClassBandwidth == [40, 60, 0, 0, 0, 0, 0, 0])
        #expect(settings.pfcBitmap == 0b0000_1000)
        settings.priorityGroups[1]?.bandwidth = 50
        #expect(settings.etsProblem == "ETS bandwidths add up to 90%; they must add up to 100%")
        settings.priorityGroups[1] = .init(priorities: [3, 0], bandwidth: 60)
        #expect(settings.etsProblem == "Priority 0 is already in priority group 0")
        #expect(DCBXSettings().etsTables.trafficClassBandwidth == [100, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func aPortThatIsNotWillingRunsItsOwnValues() {
        let peer = Self.peer(mac: Self.high, pfcWilling: false, recommendation: DCBXSettings().etsTables)
        let operational = DCBXOperational.resolve(local: Self.settings(), port: DCBXSettings.Port(), localMAC: Self.low, peer: peer)
        #expect(operational.etsSource == .local && operational.pfcSource == .local && operational.applicationsSource == .local)
        #expect(operational.pfcEnabled == 0b0000_1000)
    }

    @Test func aWillingPortTakesThePeersRecommendationAndPFC() {
        var port = DCBXSettings.Port()
        port.willing = true
        let recommendation = DCBXSettings().etsTables
        let apps = [ApplicationPriorityEntry(priority: 4, selector: ApplicationPriorityEntry.Selector.tcpSCTPPort, protocolID: 3260)]
        let operational = DCBXOperational.resolve(local: Self.settings(), port: port, localMAC: Self.high,
                                                  peer: Self.peer(mac: Self.low, pfcWilling: false, recommendation: recommendation,
                                                                  applications: apps))
        #expect(operational.ets == recommendation && operational.etsSource == .peer)
        #expect(operational.pfcEnabled == 0b0001_0000 && operational.pfcSource == .peer)
        #expect(operational.applications == apps && operational.applicationsSource == .peer)
    }

    @Test(arguments: [(true, true), (false, false)])
    func whenBothAreWillingForPFCTheLowerMACGivesWay(localIsLower: Bool, takesPeer: Bool) {
        var port = DCBXSettings.Port()
        port.willing = true
        let (local, remote) = localIsLower ? (Self.low, Self.high) : (Self.high, Self.low)
        let operational = DCBXOperational.resolve(local: Self.settings(), port: port, localMAC: local,
                                                  peer: Self.peer(mac: remote, pfcWilling: true))
        #expect((operational.pfcSource == .peer) == takesPeer)
    }

    @Test func portsAdvertiseWhatTheirSettingsAskAndEncodeCleanly() throws {
        var port = DCBXSettings.Port()
        #expect(DCBXOperational.tlvs(local: DCBXSettings(), port: port).isEmpty)   // DCBX off
        let all = DCBXOperational.tlvs(local: Self.settings(), port: port)
        #expect(all.count == 4)
        port.advertisePFC = false
        port.advertiseApplications = false
        #expect(DCBXOperational.tlvs(local: Self.settings(), port: port).count == 2)
        // What the switch sends decodes to itself.
        let unit = LLDPDU(chassisID: .macAddress(Self.low), portID: .interfaceName("port 1"), timeToLive: 120, tlvs: all)
        let bytes = try unit.encode()
        #expect(try bytes.withUnsafeBytes { try LLDPDU(decoding: $0) } == unit)
    }
}
