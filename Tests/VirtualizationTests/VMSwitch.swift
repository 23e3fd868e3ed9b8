import Dataplane
import FrameTestSupport
import Frames
import Switch
import SwitchTypes
import Virtualization

/// A 4-port switch with ports 1–3 facing hypervisors and port 4 an uplink,
/// a real `ForwardingPipeline` with a `VMTable` as its learning observer.
final class VMSwitch {
    let clock = VirtualClock(start: Timestamp(seconds: 1_700_000_000))
    let sink = CollectingSink()
    let vms: VMTable
    let feed: VMLearningFeed
    let pipeline: ForwardingPipeline

    init(ouiTable: OUITable = .defaults, serverPorts: Set<Int> = [1, 2, 3], migrationLimit: Int = 256) throws {
        vms = VMTable(ouiTable: ouiTable, serverPorts: serverPorts, migrationLimit: migrationLimit)
        pipeline = try ForwardingPipeline(configuration: BridgeConfiguration(portCount: 4), egress: sink, clock: clock)
        feed = VMLearningFeed(vms)
        pipeline.learningObserver = feed
    }

    /// Sends `frame` into `port`, a second later than the previous one, and lets the VM
    /// table take what it taught (as the switch's VM worker does).
    func send(_ frame: FrameBuilder, on port: Int) {
        clock.advance(seconds: 1)
        frame.bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: port) }
        feed.drain()
    }

    /// Any frame from `mac` (not ARP, not IP), broadcast.
    func hello(_ mac: MACAddress, on port: Int) {
        send(FrameBuilder(destination: .broadcast, source: mac), on: port)
    }

    /// The port the MAC table holds `mac` behind in VLAN 1.
    func macTablePort(_ mac: MACAddress) -> Int? {
        pipeline.macTable.port(for: mac, vlan: 1, at: clock.now())
    }

    /// The ports a unicast to `mac` from a station behind `port` (the uplink by default) egresses on.
    func egressPorts(to mac: MACAddress, from port: Int = 4) -> [Int] {
        _ = sink.take()
        send(FrameBuilder(destination: mac, source: station(90 + port)), on: port)
        return sink.take()
    }
}
