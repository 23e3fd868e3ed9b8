#if os(Linux)
import CXDP
import Frames
import Glibc
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// The XDP fast path's maps kept in step with a real pipeline, and its program's decisions,
/// both against the kernel: the program is loaded for real and run on frames with
/// BPF_PROG_TEST_RUN, which sends nothing. Ports 1 and 2 (access, VLAN 1) are fast-path
/// ports; `lo` plays port 2's interface (frames arrive on it) and both ports' egress.
@Suite(.serialized, .enabled(if: geteuid() == 0, "needs root: loads a BPF program"))
struct FastPathSyncTests {
    let sw: PolicyTestSwitch
    let fastPath: XDPFastPath
    let sync: FastPathSync
    static let loopback = Int32(if_nametoindex("lo"))
    /// `enum xdp_action` (the kernel's ABI): the frame goes on to the stack / is redirected.
    static let xdpPass: UInt32 = 2
    static let xdpRedirect: UInt32 = 4

    init() throws {
        sw = try PolicyTestSwitch { $0.acls[5] = ACLTests.deny { _ in } }
        fastPath = try XDPFastPath(stationCapacity: 64)
        sync = FastPathSync(fastPath: fastPath, ports: [1, 2], pipeline: sw.pipeline, clock: sw.clock)
        #expect(vmready_fp_register_port(fastPath.handle, 1, Self.loopback) == 0)
        #expect(vmready_fp_register_port(fastPath.handle, 2, Self.loopback) == 0)
    }

    /// Frames `frame` through the pipeline on `port`, then lets the sync catch up, as the
    /// forwarding loop does after a batch.
    func receive(_ frame: FrameBuilder, on port: Int) {
        _ = sw.send(frame, on: port)
        sync.catchUp(sw.pipeline)
    }

    /// The station map's port for (mac, VLAN 1), nil when absent or of another generation.
    func mapped(_ mac: MACAddress) -> Int? {
        var port: UInt32 = 0
        var generation: UInt32 = 0
        guard vmready_fp_station(fastPath.handle, MACTableSlot.key(mac: mac, vlan: 1), &port, &generation),
              generation == sync.generation else { return nil }
        return Int(port)
    }

    static func ipv4(from source: MACAddress, to destination: MACAddress) -> FrameBuilder {
        var frame = FrameBuilder(destination: destination, source: source)
        frame.etherType = EtherType.ipv4
        return frame
    }

    /// The program's verdict on an IPv4 frame arriving on port 2, and whether the kernel
    /// forwarded it (its port 2 rx counter moved).
    func verdict(from source: MACAddress, to destination: MACAddress) throws -> (action: UInt32, forwarded: Bool) {
        let before = fastPath.counters(port: 2).forwarded.rx_packets
        var action: UInt32 = 0
        let status = Self.ipv4(from: source, to: destination).bytes.withUnsafeBytes { bytes in
            vmready_fp_run(fastPath.handle, bytes.baseAddress, UInt32(bytes.count), Self.loopback, &action)
        }
        try #require(status == 0, "BPF_PROG_TEST_RUN failed: \(status)")
        return (action, fastPath.counters(port: 2).forwarded.rx_packets == before + 1)
    }

    @Test func learnedStationsAreCopiedAndMovesAndRemovalsFollow() {
        receive(Self.ipv4(from: station(1), to: .broadcast), on: 1)
        receive(Self.ipv4(from: station(2), to: .broadcast), on: 5)
        #expect(mapped(station(1)) == 1)
        // Port 5 (the trunk) is no fast-path port: its stations stay out.
        #expect(mapped(station(2)) == nil)
        receive(Self.ipv4(from: station(1), to: .broadcast), on: 2)
        #expect(mapped(station(1)) == 2)
        sw.pipeline.clearDynamicMACEntries()
        sync.catchUp(sw.pipeline)
        #expect(mapped(station(1)) == nil)
    }

    @Test func knownUnicastIsForwardedInTheKernelOnlyBetweenKnownStationsWithoutPolicy() throws {
        receive(Self.ipv4(from: station(1), to: .broadcast), on: 1)
        receive(Self.ipv4(from: station(2), to: .broadcast), on: 2)
        // Source known on the ingress port, destination on another fast-path port: XDP_REDIRECT
        // into the egress DEVMAP, counted.
        var result = try verdict(from: station(2), to: station(1))
        #expect(result.action == Self.xdpRedirect && result.forwarded, "action \(result.action)")
        // Unknown source, unknown destination, broadcast, a source known on another port
        // (a moved station): userspace (no socket here, so the program passes it on).
        for (source, destination) in [(station(9), station(1)), (station(2), station(9)),
                                      (station(2), MACAddress.broadcast), (station(1), station(2))] {
            result = try verdict(from: source, to: destination)
            #expect(result.action == Self.xdpPass && !result.forwarded, "\(source) → \(destination)")
        }
    }

    @Test func aStationWithAPolicyAlwaysTakesTheUserspacePath() throws {
        receive(Self.ipv4(from: station(1), to: .broadcast), on: 1)
        receive(Self.ipv4(from: station(2), to: .broadcast), on: 2)
        #expect(try verdict(from: station(2), to: station(1)).forwarded)
        // Each kind of policy takes the station out of the kernel's map, as destination
        // and as source: an ACL, shaping, a VLAN change.
        let policies = [StationPolicy(acls: [5]),
                        StationPolicy(ingressShaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 64)),
                        StationPolicy(vlan: 100)]
        for policy in policies {
            sw.pipeline.updateStationPolicies([station(1): policy])
            sync.catchUp(sw.pipeline)
            #expect(mapped(station(1)) == nil, "\(policy)")
            #expect(try !verdict(from: station(2), to: station(1)).forwarded, "\(policy)")
            sw.pipeline.updateStationPolicies([station(1): nil])
            sync.catchUp(sw.pipeline)
        }
        // A port ACL takes the port out: nothing from or to it in the kernel.
        #expect(try verdict(from: station(2), to: station(1)).forwarded)
        try sw.reconfigure { $0[port: 1].acls = [5] }
        sync.publish(sw.pipeline)
        #expect(try !verdict(from: station(2), to: station(1)).forwarded)
    }

    @Test func aResyncRewritesEveryEntryAndSweepsTheOldOnes() {
        for number in 1...3 { receive(Self.ipv4(from: station(number), to: .broadcast), on: 1) }
        // An entry the table no longer has, left from an older generation.
        let stale = MACTableSlot.key(mac: station(7), vlan: 1)
        #expect(vmready_fp_set_station(fastPath.handle, stale, 1, sync.generation) == 0)
        let generation = sync.generation
        sw.pipeline.macTable.changeLog?.markResync()
        for _ in 0..<100 where sync.isBehind || sync.generation == generation { sync.catchUp(sw.pipeline) }
        #expect(sync.generation != generation && !sync.isBehind)
        #expect((1...3).allSatisfy { mapped(station($0)) == 1 })
        var port: UInt32 = 0
        var old: UInt32 = 0
        #expect(!vmready_fp_station(fastPath.handle, stale, &port, &old))
    }
}
#endif
