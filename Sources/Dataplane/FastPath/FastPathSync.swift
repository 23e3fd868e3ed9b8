import CXDP
import SwitchTypes

/// Keeps the XDP fast path's maps in step with the pipeline, on the forwarding thread:
/// the ports' eligibility on each configuration publication, the station map from the MAC
/// table's change log after each batch (bounded work per call, never per frame), and the
/// MAC table's ageing told of the stations the kernel saw.
///
/// What the kernel may forward (see BPF/fast_path.bpf.c for why each rule keeps the
/// switch's behaviour): untagged IPv4, ARP and IPv6 between fast-path ports that are
/// enabled access ports without ACLs or vNICs, in their access VLAN, between stations
/// without a policy. Everything else stays on the userspace path.
final class FastPathSync {
    let fastPath: XDPFastPath
    /// The ports whose hook carries the program (the others never forward in the kernel).
    let ports: Set<Int>
    private let clock: any DataplaneClock
    /// The MAC table's changes since the last drain.
    let changes = MACTableChangeLog()
    /// Entries written in another generation are ignored by the kernel: a resync bumps it.
    private(set) var generation: UInt32 = 0
    /// What the ports map and the settings hold, so a publication writes only what changed.
    private var publishedPorts: [Int: vmready_fp_port] = [:]
    private var publishedSettings = vmready_fp_settings()
    /// While rebuilding the station map: the next MAC table slot to copy.
    private var resyncCursor: Int?
    /// While deleting the previous generation's entries.
    private var sweeping = false

    /// Most MAC table changes copied per call; the rest wait for the next batch.
    static let changesPerCall = 512
    /// Most MAC table slots visited per call while rebuilding.
    static let resyncSlotsPerCall = 2048
    /// Most kernel entries visited per call while sweeping the previous generation.
    static let sweepEntriesPerCall = 512

    init(fastPath: XDPFastPath, ports: Set<Int>, pipeline: ForwardingPipeline, clock: any DataplaneClock) {
        self.fastPath = fastPath
        self.ports = ports
        self.clock = clock
        let handle = fastPath.handle
        pipeline.macTable.changeLog = changes
        pipeline.macTable.externalActivity = { key in
            let seen = vmready_fp_station_last_seen(handle, key)
            guard seen != 0 else { return nil }
            // The kernel's time is CLOCK_MONOTONIC: count back from now on the switch clock.
            let ago = Int64(clamping: vmready_fp_monotonic_ns() &- seen)
            return MACTable.seconds(Timestamp(nanoseconds: clock.now().nanoseconds - max(0, ago)))
        }
        changes.markResync()
        publish(pipeline)
        catchUp(pipeline)
    }

    /// Writes the ports' eligibility and the settings from the configuration in force:
    /// after every configuration publication and between-batch job, before any frame.
    func publish(_ pipeline: ForwardingPipeline) {
        let configuration = pipeline.configuration
        for port in ports.sorted() {
            var value = vmready_fp_port()
            let vlan = pipeline.plan.untaggedVLAN(of: port)
            if configuration.isValidPort(port), FastPathSync.isEligible(configuration[port: port], port: port,
                                                                        in: configuration),
               pipeline.plan.isEnabled(port), vlan != 0, pipeline.plan.isMember(port, of: vlan) {
                value.eligible = 1
                value.vlan = UInt32(vlan)
            }
            let previous = publishedPorts[port]
            guard previous?.eligible != value.eligible || previous?.vlan != value.vlan else { continue }
            // A failed write is tried again at the next publication.
            publishedPorts[port] = vmready_fp_set_port(fastPath.handle, UInt32(port), &value) == 0 ? value : nil
        }
        var settings = vmready_fp_settings()
        settings.enabled = 1
        settings.generation = generation
        settings.ethertypes = FastPathSync.ethertypes(punted: configuration.puntEtherTypes)
        if settings.enabled != publishedSettings.enabled || settings.generation != publishedSettings.generation
            || settings.ethertypes != publishedSettings.ethertypes {
            if vmready_fp_set_settings(fastPath.handle, &settings) == 0 { publishedSettings = settings }
        }
    }

    /// A port the kernel may forward from and to: enabled, access, no ACL, no vNIC.
    /// (Enabled and VLAN membership are checked against the compiled plan by `publish`.)
    static func isEligible(_ port: PortConfiguration, port number: Int, in configuration: BridgeConfiguration) -> Bool {
        port.isEnabled && port.mode == .access && port.acls.isEmpty && !port.reflectiveRelay
            && configuration.vnicPorts[number] == nil
    }

    /// The EtherTypes the kernel may forward: IPv4, ARP and IPv6, less any the switch punts.
    static func ethertypes(punted: Set<UInt16>) -> UInt32 {
        var bits: UInt32 = 0
        if !punted.contains(0x0800) { bits |= UInt32(VMREADY_FP_IPV4) }
        if !punted.contains(0x0806) { bits |= UInt32(VMREADY_FP_ARP) }
        if !punted.contains(0x86dd) { bits |= UInt32(VMREADY_FP_IPV6) }
        return bits
    }

    /// Copies a bounded share of the MAC table's changes into the station map, and goes
    /// on with a rebuild or sweep in progress: after each batch, and when idle.
    func catchUp(_ pipeline: ForwardingPipeline) {
        let table = pipeline.macTable
        if changes.needsResync {
            changes.needsResync = false
            startResync()
        }
        if changes.count > 0 {
            let nowSeconds = MACTable.seconds(pipeline.now)
            changes.drain(limit: FastPathSync.changesPerCall) { key in
                write(key: key, table: table, pipeline: pipeline, nowSeconds: nowSeconds)
            }
        }
        if let cursor = resyncCursor { continueResync(from: cursor, pipeline: pipeline) }
        if sweeping { sweeping = !vmready_fp_sweep(fastPath.handle, generation, UInt32(FastPathSync.sweepEntriesPerCall)) }
    }

    /// True while changes, a rebuild or a sweep are pending (the idle loop should come back soon).
    var isBehind: Bool { changes.count > 0 || changes.needsResync || resyncCursor != nil || sweeping }

    /// Every entry may be wrong: a new generation makes the kernel ignore them all at once
    /// (everything takes the userspace path), then the table is copied again in slices and
    /// the old generation's entries are deleted.
    private func startResync() {
        generation &+= 1
        var settings = publishedSettings
        settings.enabled = 1
        settings.generation = generation
        if vmready_fp_set_settings(fastPath.handle, &settings) == 0 { publishedSettings = settings }
        resyncCursor = 0
        sweeping = false
    }

    private func continueResync(from cursor: Int, pipeline: ForwardingPipeline) {
        let table = pipeline.macTable
        let nowSeconds = MACTable.seconds(pipeline.now)
        let end = min(table.capacity, cursor + FastPathSync.resyncSlotsPerCall)
        for index in cursor..<end {
            let key = table.slots[index].key
            if key != 0 { write(key: key, table: table, pipeline: pipeline, nowSeconds: nowSeconds) }
        }
        if end >= table.capacity {
            resyncCursor = nil
            sweeping = true
        } else {
            resyncCursor = end
        }
    }

    /// Copies `key`'s current state: its port when the kernel may forward to and from the
    /// station there, else no entry. A write that fails (a full map) leaves the station
    /// out of the map: its frames take the userspace path. (A hash map delete fails only
    /// for an absent key, which `vmready_fp_delete_station` counts as done.)
    private func write(key: UInt64, table: MACTable, pipeline: ForwardingPipeline, nowSeconds: UInt32) {
        if let port = FastPathSync.fastPort(of: key, table: table, pipeline: pipeline, nowSeconds: nowSeconds),
           ports.contains(port) {
            if vmready_fp_set_station(fastPath.handle, key, UInt32(port), generation) != 0 {
                _ = vmready_fp_delete_station(fastPath.handle, key)
            }
        } else {
            _ = vmready_fp_delete_station(fastPath.handle, key)
        }
    }

    /// The port of `key`'s entry when it may be in the station map: present, live, and its
    /// station without a policy (neither the slot's cached tag nor the station table says one).
    static func fastPort(of key: UInt64, table: MACTable, pipeline: ForwardingPipeline, nowSeconds: UInt32) -> Int? {
        guard let index = table.find(key: key) else { return nil }
        let slot = table.slots[index]
        guard slot.stationTag == 0, !table.isExpired(slot, nowSeconds: nowSeconds),
              pipeline.stationLookup.index(of: key & 0xffff_ffff_ffff) == nil else { return nil }
        return Int(slot.port)
    }
}
