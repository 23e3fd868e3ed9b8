#if canImport(Glibc)
import Glibc
#endif
import CXDP
import Dispatch
import Frames
import SwitchTypes

/// The running dataplane: a `ForwardingPipeline` on its own thread, its ports
/// attached to interfaces, files or memory, its egress optionally captured.
///
/// The control side (CLI, VM layer) talks to it only through this object:
/// `apply(_:)` publishes a new configuration value, which the forwarding
/// thread installs between two batches; `snapshot()` and the other queries
/// run on the forwarding thread between batches and hand back values. The
/// forwarding thread never waits on the control side.
public final class ForwardingEngine: Sendable {
    /// The switch clock (virtual when ports replay files).
    public let clock: any DataplaneClock
    /// Number of ports.
    public let portCount: Int
    /// What each attached port is attached to: the interface, `file:PATH` or `memory`.
    public let attachments: [Int: String]
    /// How each attached port's frames move (AF_XDP native or generic, libpcap, ...).
    public let ioKinds: [Int: PortIOKind]
    /// One line per port that asked for AF_XDP and got libpcap, or for the XDP fast path and
    /// got plain AF_XDP, with the kernel's reason: the switch shows them once at start
    /// (stderr and the event log).
    public let attachmentNotices: [String]

    /// The XDP fast path's program, nil when no port carries it; its counters are added
    /// to the ports' own (less `fastPathBaseline`, what a clear left behind).
    private let fastPath: XDPFastPath?
    private let fastPathBaseline = ThreadLock<[Int: (forwarded: vmready_fp_counters, egressDrops: UInt64)]>([:])

    /// Frames taken off the forwarding path for the control plane (see `receivePunted`).
    public let puntedFrames: PuntRing

    let core: EngineCore
    private let thread = ThreadLock<ForwardingThread?>(nil)

    /// Opens every attachment and capture file, ready to `start()`.
    /// - Parameters:
    ///   - configuration: the initial configuration.
    ///   - attachments: port → interface, replay file or memory port.
    ///   - captureDirectory: when given, every port's egress is written to
    ///     `DIR/port-P.pcap` (the directory is created if needed).
    ///   - clock: the switch clock; default a `VirtualClock` when any port
    ///     replays a file (required then), else the system clock.
    ///   - learningObserver: told of learned and moved stations, on the forwarding thread.
    ///   - puntCapacity: frames the punt ring holds for the control plane.
    ///   - transmitCapacity: frames `transmit` may queue ahead of the forwarding thread.
    ///   - xdpFastPath: AF_XDP ports carry the XDP fast path where the kernel allows it
    ///     (`vmready --xdp-fast-path on|off`); never with `captureDirectory`, whose
    ///     captures are written in userspace.
    /// - Throws: `DataplaneError` when a port, file or the configuration is bad.
    public init(configuration: BridgeConfiguration, attachments: [Int: PortAttachment] = [:],
                captureDirectory: String? = nil, clock: (any DataplaneClock)? = nil,
                learningObserver: (any LearningObserver & Sendable)? = nil,
                puntCapacity: Int = PuntRing.defaultCapacity,
                transmitCapacity: Int = TransmitQueue.defaultCapacity,
                xdpFastPath: Bool = true) throws(DataplaneError) {
        let portCount = configuration.portCount
        for port in attachments.keys where !(1...portCount).contains(port) { throw .invalidPort(port) }
        let replays = attachments.contains { if case .file = $0.value { true } else { false } }
        let clock: any DataplaneClock = clock ?? (replays ? VirtualClock() : SystemClock())
        guard !replays || clock is VirtualClock else { throw .replayNeedsVirtualClock }

        let wakeup = Wakeup()
        var devices: [(any PortDevice)?] = Array(repeating: nil, count: portCount + 1)
        var receivers: [(port: Int, device: any PortDevice)] = []
        var replaySources: [(port: Int, reader: PcapFileReader)] = []
        var ioKinds: [Int: PortIOKind] = [:]
        var notices: [String] = []
        let wantsFastPath = xdpFastPath && captureDirectory == nil && attachments.values.contains {
            switch $0 { case .interface, .xdp: true; default: false }
        }
        var fastPath: XDPFastPath?
        if wantsFastPath {
            do {
                // As many entries as the MAC table has slots: a full map only means the slow path.
                let capacity = MACTable.capacity(for: configuration.macLimit + configuration.staticMACEntries.count)
                fastPath = try XDPFastPath(stationCapacity: capacity)
            } catch {
                notices.append("\(error); AF_XDP ports without it")
            }
        }
        for (port, attachment) in attachments.sorted(by: { $0.key < $1.key }) {
            switch attachment {
            case .interface(let name), .xdp(let name):
                let opened = try ForwardingEngine.openLive(name, port: port, fastPath: fastPath)
                notices += opened.notices
                ioKinds[port] = opened.kind
                devices[port] = opened.device
                receivers.append((port, opened.device))
            case .pcap(let name):
                let device = try PcapLivePort(interface: name)
                ioKinds[port] = .pcap
                devices[port] = device
                receivers.append((port, device))
            case .memory(let memoryPort):
                memoryPort.attach(wakeup)
                ioKinds[port] = .memory
                devices[port] = memoryPort
                receivers.append((port, memoryPort))
            case .file(let path):
                ioKinds[port] = .file
                replaySources.append((port, try PcapFileReader(path: path)))
            }
        }
        var captures: [PcapFileWriter?] = Array(repeating: nil, count: portCount + 1)
        if let directory = captureDirectory {
            try ForwardingEngine.makeDirectory(directory)
            for port in 1...portCount {
                captures[port] = try PcapFileWriter(path: "\(directory)/port-\(port).pcap")
            }
        }
        let io = PortIO(devices: devices, captures: captures, clock: clock)
        let pipeline: ForwardingPipeline
        do {
            pipeline = try ForwardingPipeline(configuration: configuration, egress: io, clock: clock,
                                              puntCapacity: puntCapacity)
        } catch {
            throw .configuration(error)
        }
        pipeline.learningObserver = learningObserver
        let context = ForwardingContext(pipeline: pipeline, io: io, receivers: receivers,
                                        replaySources: replaySources, wakeup: wakeup)
        let fastPathPorts = Set(ioKinds.filter(\.value.isFastPath).keys)
        if let fastPath, !fastPathPorts.isEmpty {
            context.fastPath = FastPathSync(fastPath: fastPath, ports: fastPathPorts, pipeline: pipeline, clock: clock)
        }
        self.fastPath = fastPathPorts.isEmpty ? nil : fastPath
        self.clock = clock
        self.portCount = portCount
        self.attachments = attachments.mapValues(\.target)
        self.ioKinds = ioKinds
        attachmentNotices = notices
        puntedFrames = pipeline.punts
        core = EngineCore(context: context, wakeup: wakeup,
                          transmits: TransmitQueue(portCount: portCount, capacity: transmitCapacity))
    }

    deinit { stop() }

    /// Replays the attached files to their end (on the calling thread, so that
    /// on return the switch state reflects every captured frame), then starts
    /// the forwarding thread.
    /// - Parameters:
    ///   - untilEachReplayedFrame: called on the replaying thread with each replayed frame's
    ///     time, before the clock moves to it, and a function that moves the clock (sending
    ///     the frames queued so far at the time it leaves): the control plane runs the
    ///     timers due before the frame at their own times, and what they send goes out at
    ///     those times, before the frame.
    ///   - afterEachReplayedFrame: called on the replaying thread after each replayed
    ///     frame; configuration published meanwhile (e.g. by the VM layer reacting to the
    ///     frame) is installed right after it, so a replay sees the same reactions, in the
    ///     same place, as live traffic would.
    /// - Returns: what was wrong with replayed files (a truncated record, a caplen too large,
    ///   with the file's own numbers): their frames before the damage were replayed.
    /// - Throws: `DataplaneError.alreadyStarted` when running.
    @discardableResult
    public func start(untilEachReplayedFrame: (@Sendable (Timestamp, _ moveClock: (Timestamp) -> Void) -> Void)? = nil,
                      afterEachReplayedFrame: (@Sendable () -> Void)? = nil) throws(DataplaneError) -> [String] {
        try thread.withLock { (thread: inout ForwardingThread?) throws(DataplaneError) -> [String] in
            guard thread == nil, let context = core.state.withLock({ $0.parked.take() }) else {
                throw .alreadyStarted
            }
            var damage: [String] = []
            if !context.replaySources.isEmpty, let virtualClock = clock as? VirtualClock {
                var replay = PcapReplay(readers: context.replaySources)
                let core = self.core
                replay.run(into: context.pipeline, clock: virtualClock, untilEachFrame: { time in
                    guard let untilEachReplayedFrame else { return }
                    untilEachReplayedFrame(time) { next in
                        context.originateQueued(from: core.transmits)
                        virtualClock.set(next)
                    }
                    context.originateQueued(from: core.transmits)
                }) {
                    afterEachReplayedFrame?()
                    if core.hasWork.load(ordering: .acquiring) { core.perform(core.takeWork(), on: context) }
                    // Answers to replayed frames go out at the replayed frame's time.
                    context.originateQueued(from: core.transmits)
                }
                damage = context.replaySources.compactMap { $0.reader.damage }
                context.replaySources = []
                context.io.flushTransmits()
                context.io.flushCaptures()
            }
            core.park(context)
            core.stopRequested.store(false, ordering: .releasing)
            let core = self.core
            thread = ForwardingThread.start { core.run() }
            // Without a thread the pipeline stays parked and requests run inline.
            return damage
        }
    }

    /// Stops the forwarding thread and waits for it; the state is kept (and
    /// captures flushed), so queries still work and `start()` may run again.
    public func stop() {
        thread.withLock { thread in
            guard let running = thread else { return }
            core.stopRequested.store(true, ordering: .releasing)
            core.wakeup.signal()
            running.join()
            thread = nil
        }
    }

    /// True while the forwarding thread runs.
    public var isRunning: Bool { thread.withLock { $0 != nil } }

    /// Publishes a new configuration; the forwarding thread installs it before
    /// its next batch. Returns without waiting.
    /// - Throws: `BridgeConfigurationError` (and changes nothing) when invalid.
    public func apply(_ configuration: BridgeConfiguration) throws(BridgeConfigurationError) {
        try configuration.validate()
        guard configuration.portCount == portCount else { throw .invalidPortCount(configuration.portCount) }
        let ranInline = core.state.withLock { state -> Bool in
            guard let context = state.parked else { return false }
            try? context.pipeline.apply(configuration)
            context.controlWorkDone()
            return true
        }
        if !ranInline { core.enqueue(.configure(configuration)) }
    }

    /// Runs `body` with the pipeline on the forwarding thread between two
    /// batches (or right here when the thread is not running) and returns its
    /// result. Blocks the caller, never the forwarding thread. `body` must be
    /// quick: forwarding pauses while it runs.
    public func withPipeline<Result: Sendable>(_ body: @escaping @Sendable (ForwardingPipeline) -> Result) -> Result {
        let reply = Reply<Result>()
        let queued = core.state.withLock { state -> Bool in
            guard let context = state.parked else {
                state.work.append(.run { pipeline in reply.fulfil(body(pipeline)) })
                core.hasWork.store(true, ordering: .releasing)
                return true
            }
            reply.fulfil(body(context.pipeline))
            context.controlWorkDone()
            return false
        }
        if queued { core.wakeup.signal() }
        return reply.wait()
    }

    /// Runs `body` with the pipeline on the forwarding thread between two batches (or right
    /// here when the thread is not running), without waiting for it: for changes the caller
    /// needs made, not answered, from code that must never wait on the forwarding thread.
    public func perform(_ body: @escaping @Sendable (ForwardingPipeline) -> Void) {
        let ranInline = core.state.withLock { state -> Bool in
            guard let context = state.parked else { return false }
            body(context.pipeline)
            context.controlWorkDone()
            return true
        }
        if !ranInline { core.enqueue(.run(body)) }
    }

    /// Installs (non-nil), replaces or removes (nil) the policies of the given
    /// stations, one by one, without recompiling the others: the forwarding thread
    /// makes the change before its next batch (inline when it is not running), and
    /// the caller does not wait. `BridgeConfiguration.stationPolicies` is best left
    /// empty then: a configuration whose own policies differ from the previous one's
    /// replaces the whole installed set.
    /// - Throws: `BridgeConfigurationError` (and changes nothing) when a policy has
    ///   an invalid VLAN, location hint or ACL number.
    public func updateStationPolicies(_ changes: [MACAddress: StationPolicy?]) throws(BridgeConfigurationError) {
        for case let policy? in changes.values {
            try BridgeConfiguration.validate(stationPolicy: policy, portCount: portCount)
        }
        perform { $0.updateStationPolicies(changes) }
    }

    /// A VM manager places the stations `macs` behind `port` ahead of their frames
    /// (`ForwardingPipeline.expectStation`); never waits for the forwarding thread.
    public func expectStations(_ macs: [MACAddress], on port: Int) {
        perform { pipeline in for mac in macs { pipeline.expectStation(mac, on: port) } }
    }

    /// A VM manager reports the stations `macs` stopped (`ForwardingPipeline.withdrawStation`).
    public func withdrawStations(_ macs: [MACAddress]) {
        perform { pipeline in for mac in macs { pipeline.withdrawStation(mac) } }
    }

    /// The station table's size, bound and refused policies.
    public func stationTableStatistics() -> StationTableStatistics { withPipeline { $0.stationTableStatistics() } }

    /// Counters, MAC table and configuration, all from the same instant.
    public func snapshot() -> DataplaneSnapshot {
        var snapshot = withPipeline { $0.snapshot() }
        snapshot.attachments = attachments
        snapshot.counters = withTransmitRefusals(snapshot.counters)
        return snapshot
    }

    /// Every port's counters, port 1 first.
    public func counters() -> [PortCounters] { withTransmitRefusals(withPipeline { $0.allCounters() }) }

    /// `counters` with the transmit queue's refusals, which its producers count, not the
    /// pipeline, and what the XDP fast path forwarded in the kernel.
    private func withTransmitRefusals(_ counters: [PortCounters]) -> [PortCounters] {
        let baseline = fastPathBaseline.withLock { $0 }
        return counters.map { counters in
            var counters = counters
            counters.originateRefused = core.transmits.refusals(port: counters.port)
            if let fastPath, counters.vnic == nil, ioKinds[counters.port]?.isFastPath == true {
                counters.addFastPath(fastPath.counters(port: counters.port), less: baseline[counters.port])
            }
            return counters
        }
    }

    /// The live MAC table entries, sorted by MAC then VLAN.
    public func macEntries() -> [MACTableEntry] { withPipeline { $0.macEntries() } }

    /// Every configured vNIC's counters, in port then index order.
    public func vnicCounters() -> [PortCounters] { withPipeline { $0.vnicCounters() } }

    /// Zeroes the counters of one port, or of all.
    public func clearCounters(port: Int? = nil) {
        withPipeline { $0.clearCounters(port: port) }
        core.transmits.clearRefusals(port: port)
        // The kernel's counters only grow (per CPU, written by every CPU): a clear remembers them.
        if let fastPath {
            fastPathBaseline.withLock { baseline in
                for (cleared, kind) in ioKinds where kind.isFastPath && (port == nil || port == cleared) {
                    baseline[cleared] = fastPath.counters(port: cleared)
                }
            }
        }
    }

    /// Zeroes vNIC `vnic`'s counters.
    public func clearCounters(vnic: BridgePort) { withPipeline { $0.clearCounters(vnic: vnic) } }

    /// Every policy station's location and counters, by MAC.
    public func stationStatistics() -> [StationStatistics] { withPipeline { $0.stationStatistics() } }

    /// Hits per ACL number, for every ACL with `statistics`.
    public func aclHits() -> [Int: UInt64] { withPipeline { $0.aclHits() } }

    /// Zeroes the ACL hit counters.
    public func clearACLStatistics() { withPipeline { $0.clearACLStatistics() } }

    /// The ports carrying `vlan` (configured or for the stations located there), and
    /// those of them sending it untagged.
    public func effectiveMembership(vlan: UInt16) -> (members: Set<Int>, untagged: Set<Int>) {
        withPipeline { $0.effectiveMembership(vlan: vlan) }
    }

    /// Removes dynamic MAC entries, optionally of one VLAN and/or port.
    @discardableResult
    public func clearDynamicMACEntries(vlan: UInt16? = nil, port: Int? = nil) -> Int {
        withPipeline { $0.clearDynamicMACEntries(vlan: vlan, port: port) }
    }

    /// AF_XDP with the fast path's program when given, else (or when it cannot attach)
    /// plain AF_XDP (native where the driver allows it, else generic); libpcap when the
    /// kernel refuses, with the reasons in `notices`. libpcap's own refusal (no such
    /// interface) is the port's error.
    private static func openLive(_ name: String, port: Int, fastPath: XDPFastPath?) throws(DataplaneError)
        -> (device: any PortDevice, kind: PortIOKind, notices: [String]) {
        var notices: [String] = []
        if let fastPath {
            do {
                let device = try XDPPort(interface: name, fastPath: fastPath, port: port)
                return (device, device.mode == .native ? .xdpFastNative : .xdpFastGeneric, [])
            } catch .xdpFastPath(let target, let step, let code) {
                // Only the fast path's own step failed: plain AF_XDP may still work.
                let error = DataplaneError.xdpFastPath(target: target, step: step, errno: code)
                notices.append("port \(port): \(error); plain AF_XDP")
            } catch {
                // AF_XDP itself refused (MTU, capabilities): plain AF_XDP would too.
                let device = try PcapLivePort(interface: name)
                return (device, .pcap, ["port \(port): \(error); using libpcap"])
            }
        }
        do {
            let device = try XDPPort(interface: name)
            return (device, device.mode == .native ? .xdpNative : .xdpGeneric, notices)
        } catch {
            let device = try PcapLivePort(interface: name)
            return (device, .pcap, notices + ["port \(port): \(error); using libpcap"])
        }
    }

    private static func makeDirectory(_ path: String) throws(DataplaneError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw .cannotCreateDirectory(path: path, errno: errno)
            }
        }
    }
}

/// A one-shot answer from the forwarding thread.
private final class Reply<Value: Sendable>: Sendable {
    private let value = ThreadLock<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func fulfil(_ result: Value) {
        value.withLock { $0 = result }
        ready.signal()
    }

    func wait() -> Value {
        ready.wait()
        // fulfil always stores before signalling, so the value is there.
        guard let result = value.withLock({ $0.take() }) else {
            preconditionFailure("reply signalled without a value")
        }
        return result
    }
}
