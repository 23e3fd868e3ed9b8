import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Reflective relay (802.1Qbg VEPA): on a port in reflective relay, two VMs behind the same
/// hypervisor reach each other through the bridge, the frame going back out of the port it
/// came in on; on any other port that never happens. Both forwarding paths (plain, and with
/// station policies) are held to it.
@Suite struct ReflectiveRelayTests {
    let clock = VirtualClock(start: Timestamp(seconds: 1_700_000_000))
    let sink = CollectingSink()
    static let a = MACAddress(0x52, 0x54, 0x00, 0x00, 0x00, 0x0a), b = MACAddress(0x52, 0x54, 0x00, 0x00, 0x00, 0x0b)

    func pipeline(relay: Bool, policy: Bool) throws -> ForwardingPipeline {
        var configuration = try BridgeConfiguration(portCount: 3)
        configuration[port: 1].reflectiveRelay = relay
        if policy {
            // A station policy anywhere sends every frame the policy way.
            configuration.stationPolicyPorts = [2]
            configuration.stationPolicies = [station(99): StationPolicy()]
        }
        let pipeline = try ForwardingPipeline(configuration: configuration, egress: sink, clock: clock)
        // Both VMs behind port 1.
        pipeline.process(FrameBuilder(destination: .broadcast, source: Self.a), on: 1)
        pipeline.process(FrameBuilder(destination: .broadcast, source: Self.b), on: 1)
        _ = sink.take()
        return pipeline
    }

    @Test(arguments: [false, true])
    func aPortInReflectiveRelayHairpins(policy: Bool) throws {
        let pipeline = try pipeline(relay: true, policy: policy)
        let unicast = FrameBuilder(destination: Self.b, source: Self.a)
        pipeline.process(unicast, on: 1)
        #expect(sink.take() == [EgressFrame(port: 1, bytes: unicast.bytes)])
        let broadcast = FrameBuilder(destination: .broadcast, source: Self.a)
        pipeline.process(broadcast, on: 1)
        #expect(sink.take().map(\.port) == [1, 2, 3])
        #expect(pipeline.counters(port: 1).filtered == 0)
        #expect(everyFrameAccounted(pipeline))
    }

    @Test(arguments: [false, true])
    func anyOtherPortNeverSendsAFrameBackWhereItCameFrom(policy: Bool) throws {
        let pipeline = try pipeline(relay: false, policy: policy)
        pipeline.process(FrameBuilder(destination: Self.b, source: Self.a), on: 1)
        #expect(sink.take().isEmpty)
        #expect(pipeline.counters(port: 1).filtered == 1)
        pipeline.process(FrameBuilder(destination: .broadcast, source: Self.a), on: 1)
        #expect(sink.take().map(\.port) == [2, 3])
        #expect(everyFrameAccounted(pipeline))
    }
}
