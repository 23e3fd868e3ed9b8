import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes
import Testing

private let v11 = BridgePort(port: 1, vnic: 1)
private let v12 = BridgePort(port: 1, vnic: 2)
private let v21 = BridgePort(port: 2, vnic: 1)

/// An enabled group.
private func group(vlan: UInt16, members: [BridgePort], uplink: Int?) -> VNICGroup {
    var group = VNICGroup()
    group.vlan = vlan
    group.members = Set(members)
    group.uplink = uplink
    group.isEnabled = true
    return group
}

/// What `BridgeConfiguration.validate` refuses of vNICs and groups, the bridge port
/// numbering, and `BridgePort`'s names.
@Suite struct VNICConfigurationTests {
    static func base() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 8)
        config.vnicEnabled = true
        VNICTest.addVNICs(&config, port: 1, [1: 1, 2: 2])
        VNICTest.addVNICs(&config, port: 2, [1: 1])
        return config
    }


    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var change: @Sendable (inout BridgeConfiguration) -> Void
        var error: BridgeConfigurationError
        var testDescription: String { name }
    }


    static let cases: [Case] = [
        Case(name: "over 100 %", change: { VNICTest.addVNICs(&$0, port: 1, [3: 3, 4: 4], percent: 26) },
             error: .vnicBandwidthExceeded(port: 1, percent: 102)),
        Case(name: "bandwidth 0", change: { $0.vnicPorts[1]!.vnics[1]!.bandwidthPercent = 0 },
             error: .invalidVNICBandwidth(v11, 0)),
        Case(name: "index 5", change: { VNICTest.addVNICs(&$0, port: 3, [5: 5]) },
             error: .invalidVNICIndex(BridgePort(port: 3, vnic: 5))),
        Case(name: "S-VID 0", change: { $0.vnicPorts[1]!.vnics[2]!.svid = 0 }, error: .invalidSVID(v12, 0)),
        Case(name: "S-VID 4095", change: { $0.vnicPorts[1]!.vnics[2]!.svid = 4095 }, error: .invalidSVID(v12, 4095)),
        Case(name: "S-VID twice", change: { $0.vnicPorts[1]!.vnics[2]!.svid = 1 }, error: .duplicateSVID(port: 1, svid: 1)),
        Case(name: "no such port", change: { VNICTest.addVNICs(&$0, port: 9, [1: 1]) }, error: .invalidPort(9)),
        Case(name: "speed 0", change: { $0[port: 4].speed = 0 }, error: .invalidPortSpeed(port: 4, speed: 0)),
        Case(name: "vNIC access VLAN 0", change: { $0.vnicPorts[2]!.vnics[1]!.switchport.accessVLAN = 0 },
             error: .invalidVLAN(0)),
        Case(name: "vNIC ACL undefined", change: { $0.vnicPorts[2]!.vnics[1]!.switchport.acls = [7] }, error: .noSuchACL(7)),
        Case(name: "upstream itself", change: { $0.vnicPorts[1]!.mode = .ioExtender(upstream: 1) },
             error: .invalidUpstream(port: 1, upstream: 1)),
        Case(name: "upstream a vNIC port", change: { $0.vnicPorts[1]!.mode = .ioExtender(upstream: 2) },
             error: .invalidUpstream(port: 1, upstream: 2)),
        Case(name: "upstream no port", change: { $0.vnicPorts[1]!.mode = .ioExtender(upstream: 0) },
             error: .invalidUpstream(port: 1, upstream: 0)),
        Case(name: "upstream shared S-VID", change: {
            $0.vnicPorts[1]!.mode = .ioExtender(upstream: 3)
            $0.vnicPorts[2]!.mode = .ioExtender(upstream: 3)
        }, error: .sharedUpstreamSVID(upstream: 3, svid: 1)),
        Case(name: "group number 33", change: { $0.vnicGroups[33] = VNICGroup() }, error: .invalidVNICGroup(33)),
        Case(name: "group member not configured", change: {
            $0.vnicGroups[1] = group(vlan: 100, members: [BridgePort(port: 3, vnic: 1)], uplink: nil)
        }, error: .noSuchVNIC(BridgePort(port: 3, vnic: 1))),
        Case(name: "group member a port", change: {
            $0.vnicGroups[1] = group(vlan: 100, members: [BridgePort(port: 3)], uplink: nil)
        }, error: .noSuchVNIC(BridgePort(port: 3))),
        Case(name: "vNIC in two groups", change: {
            $0.vnicGroups[1] = group(vlan: 100, members: [v11], uplink: 3)
            $0.vnicGroups[2] = group(vlan: 200, members: [v11, v21], uplink: 4)
        }, error: .vnicInTwoGroups(v11, first: 1, second: 2)),
        Case(name: "group VLAN of another group", change: {
            $0.vnicGroups[1] = group(vlan: 100, members: [v11], uplink: 3)
            $0.vnicGroups[2] = group(vlan: 100, members: [v21], uplink: 4)
        }, error: .groupVLANInUse(group: 2, vlan: 100, by: "vnicgroup 1")),
        Case(name: "group VLAN on a port", change: {
            $0.vnicGroups[1] = group(vlan: 100, members: [v11], uplink: 3)
            $0[port: 5].accessVLAN = 100
        }, error: .groupVLANInUse(group: 1, vlan: 100, by: "port 5")),
        Case(name: "group VLAN native on a trunk", change: {
            $0.vnicGroups[1] = group(vlan: 100, members: [v11], uplink: 3)
            $0[port: 5].mode = .trunk
            $0[port: 5].nativeVLAN = 100
        }, error: .groupVLANInUse(group: 1, vlan: 100, by: "port 5")),
        Case(name: "group VLAN on a vNIC", change: {
            $0.vnicGroups[1] = group(vlan: 100, members: [v11], uplink: 3)
            $0.vnicPorts[1]!.vnics[2]!.switchport.accessVLAN = 100
        }, error: .groupVLANInUse(group: 1, vlan: 100, by: "port 1.2")),
        Case(name: "group VLAN 4095", change: { $0.vnicGroups[1] = group(vlan: 4095, members: [v11], uplink: 3) },
             error: .invalidVLAN(4095)),
        Case(name: "uplink a vNIC port", change: { $0.vnicGroups[1] = group(vlan: 100, members: [v11], uplink: 2) },
             error: .invalidGroupUplink(group: 1, port: 2)),
        Case(name: "uplink of two groups", change: {
            $0.vnicGroups[1] = group(vlan: 100, members: [v11], uplink: 3)
            $0.vnicGroups[2] = group(vlan: 200, members: [v21], uplink: 3)
        }, error: .invalidGroupUplink(group: 2, port: 3)),
        Case(name: "member on an io-extender port", change: {
            $0.vnicPorts[2]!.mode = .ioExtender(upstream: 3)
            $0.vnicGroups[1] = group(vlan: 100, members: [v21], uplink: 4)
        }, error: .groupMemberNotInSwitchMode(v21)),
    ]

    @Test(arguments: cases)
    func refused(_ testCase: Case) throws {
        var config = try Self.base()
        try config.validate()
        testCase.change(&config)
        #expect(throws: testCase.error) { try config.validate() }
        // The pipeline refuses it whole.
        let base = try Self.base()
        let pipeline = try ForwardingPipeline(configuration: base, egress: CollectingSink())
        #expect(throws: testCase.error) { try pipeline.apply(config) }
        #expect(pipeline.configuration == base)
    }

    @Test func disabledVNICsDoNotCountTowardsTheTotal() throws {
        var config = try Self.base()
        VNICTest.addVNICs(&config, port: 1, [3: 3, 4: 4], percent: 50)
        config.vnicPorts[1]!.vnics[3]!.isEnabled = false
        config.vnicPorts[1]!.vnics[4]!.isEnabled = false
        try config.validate()
        config.vnicPorts[1]!.vnics[3]!.isEnabled = true
        try config.validate()
        config.vnicPorts[1]!.vnics[4]!.isEnabled = true
        #expect(throws: BridgeConfigurationError.vnicBandwidthExceeded(port: 1, percent: 150)) { try config.validate() }
    }

    /// Port masks are 64 bits: physical ports and vNICs together are at most 64.
    @Test func atMost64BridgePorts() throws {
        var config = try BridgeConfiguration(portCount: 60)
        VNICTest.addVNICs(&config, port: 1, [1: 1, 2: 2, 3: 3, 4: 4])
        try config.validate()
        VNICTest.addVNICs(&config, port: 2, [1: 1])
        #expect(throws: BridgeConfigurationError.tooManyBridgePorts(65)) { try config.validate() }
    }

    @Test func numberingPutsVNICsAfterThePhysicalPorts() throws {
        let config = try Self.base()
        #expect(config.bridgePorts.map(\.description) == ["1", "2", "3", "4", "5", "6", "7", "8", "1.1", "1.2", "2.1"])
        #expect(config.bridgePortNumber(of: BridgePort(port: 1, vnic: 2)) == 10)
        #expect(config.bridgePortNumber(of: BridgePort(port: 2, vnic: 1)) == 11)
        #expect(config.bridgePortNumber(of: BridgePort(port: 3, vnic: 1)) == nil)
        #expect(config.bridgePortNumber(of: BridgePort(port: 8)) == 8)
    }

    @Test func bridgePortNames() {
        #expect(BridgePort(port: 1).description == "1")
        #expect(BridgePort(port: 12, vnic: 4).description == "12.4")
        #expect(BridgePort("1.2") == BridgePort(port: 1, vnic: 2))
        #expect(BridgePort("7") == BridgePort(port: 7))
        for bad in ["", ".", "1.", ".2", "1.2.3", "a", "1.b", "-1", "1 .2", "+1"] { #expect(BridgePort(bad) == nil) }
        #expect([BridgePort(port: 2), BridgePort(port: 1, vnic: 2), BridgePort(port: 1)].sorted().map(\.description)
                    == ["1", "1.2", "2"])
    }

    /// Renumbering (a vNIC added before others) forgets what the moved numbers had.
    @Test func renumberedVNICsStartAfresh() throws {
        let sink = CollectingSink()
        var config = try Self.base()
        let pipeline = try ForwardingPipeline(configuration: config, egress: sink)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: station(1), svid: 1), on: 2)
        #expect(pipeline.macEntries().map(\.bridgePort.description) == ["2.1"])
        VNICTest.addVNICs(&config, port: 1, [3: 3])
        try pipeline.apply(config)
        #expect(pipeline.macEntries().isEmpty)
        #expect(pipeline.counters(vnic: BridgePort(port: 2, vnic: 1))?.rxFrames == 0)
        #expect(pipeline.counters(vnic: BridgePort(port: 1, vnic: 3))?.rxFrames == 0)
    }
}
