import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes
import Testing

/// What works on a port works on a vNIC: its own ACLs, and its place among the stations
/// policies follow.
@Suite struct VNICPolicyTests {
    /// Port 1 with vNICs 1.1 (S-VID 1) and 1.2 (S-VID 2), all access VLAN 1, like port 2.
    static func makeConfiguration() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 2)
        config.vnicEnabled = true
        VNICTest.addVNICs(&config, port: 1, [1: 1, 2: 2])
        return config
    }

    @Test func aVNICsACLAppliesToItsFramesOnly() throws {
        var config = try Self.makeConfiguration()
        var deny = ACLRule()
        deny.etherType = 0x88b5
        deny.action = .deny
        config.acls[5] = deny
        config.vnicPorts[1]!.vnics[2]!.switchport.acls = [5]
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: config, egress: sink)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: station(1), svid: 2), on: 1)
        #expect(sink.take().isEmpty)
        #expect(pipeline.counters(vnic: BridgePort(port: 1, vnic: 2))?.drops[.aclDeny] == 1)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: station(2), svid: 1), on: 1)
        #expect(sink.takeSet() == [
            Egress(port: 1, bytes: VNICTest.frame(to: VNICTest.broadcast, from: station(2), svid: 2)),
            Egress(port: 2, bytes: VNICTest.frame(to: VNICTest.broadcast, from: station(2))),
        ])
        #expect(everyFrameAndVNICAccounted(pipeline))
    }

    /// A VM with a station policy (VLAN 10) behind a policy port's vNIC is classified and
    /// located there: its frames reach VLAN 10, and VLAN 10 reaches it through the vNIC.
    @Test func aStationPolicyFollowsAVMBehindAVNIC() throws {
        var config = try Self.makeConfiguration()
        try config.vlans.create(10)
        config[port: 2].mode = .trunk
        config.stationPolicyPorts = [1]
        let vm = station(7)
        var policy = StationPolicy()
        policy.vlan = 10
        config.stationPolicies[vm] = policy
        let sink = CollectingSink()
        let pipeline = try ForwardingPipeline(configuration: config, egress: sink)
        pipeline.process(VNICTest.frame(to: VNICTest.broadcast, from: vm, svid: 2, seed: 1), on: 1)
        #expect(sink.take() == [EgressFrame(port: 2, bytes: VNICTest.frame(to: VNICTest.broadcast, from: vm, cvid: 10,
                                                                           seed: 1))])
        pipeline.process(VNICTest.frame(to: vm, from: station(8), cvid: 10, seed: 2), on: 2)
        #expect(sink.take() == [EgressFrame(port: 1, bytes: VNICTest.frame(to: vm, from: station(8), svid: 2, seed: 2))])
        #expect(pipeline.macEntries().first { $0.mac == vm }?.bridgePort.description == "1.2")
    }
}
