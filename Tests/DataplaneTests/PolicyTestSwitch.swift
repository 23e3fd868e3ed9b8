import Dataplane
import FrameTestSupport
import Frames
import SwitchTypes

/// The switch the policy tests run on, so each test states only its policies:
///
/// p1-p4 access VLAN 1, server ports (`stationPolicyPorts`) · p5 trunk (all
/// VLANs, native 1), the uplink · p6 access VLAN 1, not a server port.
/// VLANs 1, 100 and 200 exist. The clock is virtual.
struct PolicyTestSwitch {
    static let serverPorts: Set<Int> = [1, 2, 3, 4]
    static let uplink = 5
    static let plainPort = 6

    let clock = VirtualClock(start: Timestamp(seconds: 1_700_000_000))
    let sink = CollectingSink()
    let pipeline: ForwardingPipeline

    init(_ edit: (inout BridgeConfiguration) throws -> Void = { _ in }) throws {
        var config = try BridgeConfiguration(portCount: 6)
        try config.vlans.create(100)
        try config.vlans.create(200)
        config[port: 5].mode = .trunk
        config.stationPolicyPorts = PolicyTestSwitch.serverPorts
        try edit(&config)
        pipeline = try ForwardingPipeline(configuration: config, egress: sink, clock: clock)
    }

    /// Edits the configuration in effect and applies it.
    func reconfigure(_ edit: (inout BridgeConfiguration) throws -> Void) throws {
        var config = pipeline.configuration
        try edit(&config)
        try pipeline.apply(config)
    }

    /// The ports carrying `vlan`, and the untagged ones among them.
    func membership(_ vlan: UInt16) -> (members: Set<Int>, untagged: Set<Int>) {
        pipeline.effectiveMembership(vlan: vlan)
    }

    /// Sends a frame and returns what left the switch.
    func send(_ frame: FrameBuilder, on port: Int) -> [EgressFrame] {
        _ = sink.take()
        pipeline.process(frame, on: port)
        return sink.take()
    }

    func send(_ bytes: [UInt8], on port: Int) -> [EgressFrame] {
        _ = sink.take()
        pipeline.process(bytes, on: port)
        return sink.take()
    }

    func statistics(_ mac: MACAddress) -> StationStatistics? {
        pipeline.stationStatistics().first { $0.mac == mac }
    }
}

/// A VMware VM address, 00:50:56:00:00:nn.
func vm(_ number: Int) -> MACAddress { MACAddress(rawValue: 0x0050_5600_0000 | UInt64(number)) }
