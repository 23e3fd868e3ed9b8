import CommandEngine
import Console
import Dataplane
import Flash
import Foundation
import Frames
import Protocols
import RunningConfig
import Synchronization
import Virtualization
import VMManager

/// How the switch is built: its ports and what they attach to.
public struct SwitchOptions: Sendable {
    public var portCount = 8
    /// Port → Linux interface or capture file (`--attach`).
    public var attachments: [Int: PortAttachment] = [:]
    /// Every port's egress is also written to `DIR/port-P.pcap` (`--capture`).
    public var captureDirectory: String?
    /// AF_XDP ports carry the XDP fast path where the kernel allows it (`--xdp-fast-path`).
    public var xdpFastPath = true
    /// Where flash lives (`--state-dir`); without it the switch has no flash.
    public var stateDirectory: String?
    /// The switch clock; default the system clock (a virtual one when ports replay files).
    public var clock: (any DataplaneClock)?
    /// The switch's MAC (LLDP's Chassis ID, the source of what it sends); default one
    /// derived from the machine and the state directory (`SystemMAC.derived`).
    public var systemMAC: MACAddress?
    /// Opens the connections to VM managers (`virt vmmanager`); nil opens none (a test then
    /// hands the switch the connections' reports itself).
    public var vmManagerConnector: VMManagerConnector?
    /// Where `logging console` writes events: the switch process's stderr, its console.
    public var consoleLogDescriptor: Int32 = 2

    public init(portCount: Int = 8, attachments: [Int: PortAttachment] = [:], captureDirectory: String? = nil,
                stateDirectory: String? = nil) {
        self.portCount = portCount
        self.attachments = attachments
        self.captureDirectory = captureDirectory
        self.stateDirectory = stateDirectory
    }
}

/// The composition root: the command engine over the embedded grammar, the forwarding
/// engine, the switch's configuration, and one handler per grammar action.
public final class VMreadySwitch: CommandHost, Sendable {
    public static let version = "0.1.0"

    public let engine: CommandEngine
    public let dataplane: ForwardingEngine
    /// The VMs detected on server ports, fed by the dataplane's learning hook.
    public let vms: VMTable
    /// Handles what the VM table noticed (log, err-disable) off the forwarding thread.
    let vmEvents: VMEventWorker
    /// Learning events on their way from the forwarding thread to the VM table.
    public let learning: VMLearningFeed
    public let portCount: Int
    let state: Mutex<SwitchState>
    let bootTime = Date()
    /// Replays running now: while any is, changes are published to the forwarding engine
    /// once at its end rather than line by line (a 10,000-line boot would otherwise compile
    /// thousands of forwarding plans).
    let replaysInProgress = Mutex(0)
    /// The last startup-config replay, for `show boot-log`.
    let bootReport = Mutex<BootReport?>(nil)
    /// The startup-config and its archive: open, or unusable and retried (`flash`).
    let flashSlot: FlashSlot
    /// The `--startup-config` file the switch booted from; nil when it booted from flash.
    /// `reload` boots from the same source.
    let bootFile = Mutex<String?>(nil)
    let stateDirectory: String?
    /// `show logging`: VM moves, spoofing suspicions, logins, privilege changes.
    public let eventLog: EventLog
    /// Remote collectors and the console (`logging host`, `logging console`).
    let logSinks: EventLogSinks
    /// Floods (half-open connections, `enable` hammered) logged as one line per interval.
    public let repeatedEvents: RepeatedEvents
    /// The wait after failed `enable` attempts, per uid.
    public let enableThrottle = EnableThrottle()
    /// The console and connected sessions, for `show users` and `clear line`.
    public let lines = LineTable()
    /// The switch's MAC: LLDP's Chassis ID and the source of the frames it sends.
    public let systemMAC: MACAddress
    /// LLDP on every port; DCBX rides in its LLDPDUs.
    public let lldp: LLDPAgent
    /// 802.1Qbg on ports with an EVB profile: ECP and VDP (the EVB TLV rides LLDP).
    public let evb: EVBAgent
    /// VDP's events, off the control-plane thread (`VSIBindings`).
    let vdpQueue = DispatchQueue(label: "vmready.vdp")
    /// The control-plane loop: punted frames in, protocol timers, frames out.
    public let controlPlane: ControlPlane
    /// What the dataplane punts by EtherType: the agents' interest, fixed when they register.
    let puntEtherTypes: Set<UInt16>
    /// Who hears of LLDP neighbours coming and going (the event log first).
    public let lldpNeighborEvents = LLDPNeighborSubscribers()
    /// The VM managers: connections, inventory, verification, pre-provisioning.
    let vmManager: VMManagerService
    /// The data-centre-wide policy database: answers per VM, VSI types, locations.
    let policyDB = PolicyDBService()

    public init(_ options: SwitchOptions = SwitchOptions()) throws(SwitchStartError) {
        let log = EventLog()
        eventLog = log
        logSinks = EventLogSinks(consoleDescriptor: options.consoleLogDescriptor)
        repeatedEvents = RepeatedEvents(log: log)
        do {
            engine = try CommandEngine(files: EmbeddedGrammar.files)
        } catch {
            throw SwitchStartError("bad built-in grammar: \(error)")
        }
        let bridge: BridgeConfiguration
        do {
            bridge = try BridgeConfiguration(portCount: options.portCount)
        } catch {
            throw SwitchStartError("\(error)")
        }
        for port in options.attachments.keys where !bridge.isValidPort(port) {
            throw SwitchStartError("cannot attach port \(port): the switch has ports 1-\(options.portCount)")
        }
        let vms = VMTable()
        self.vms = vms
        vmManager = VMManagerService(connector: options.vmManagerConnector)
        let worker = VMEventWorker()
        vmEvents = worker
        learning = VMLearningFeed(vms, wake: { worker.schedule() })
        do {
            dataplane = try ForwardingEngine(configuration: bridge, attachments: options.attachments,
                                             captureDirectory: options.captureDirectory, clock: options.clock,
                                             learningObserver: learning, xdpFastPath: options.xdpFastPath)
        } catch {
            throw SwitchStartError("\(error)")
        }
        // The engine is captured weakly here and below: the engine holds the learning feed
        // (which holds `vms`) and the punt listener (which holds the control plane), so a
        // strong capture would make a cycle, and a switch that is let go would keep its
        // engine, its buffers and its descriptors for the life of the process.
        vms.setPolicySink { [weak dataplane] changes in
            if let dataplane { VMreadySwitch.install(changes, on: dataplane) }
        }
        vms.reconfigure(VirtConfiguration(), vlans: [], trustedPorts: [], downPorts: [])
        portCount = options.portCount
        let initial = SwitchState(bridge: bridge)
        state = Mutex(initial)
        systemMAC = options.systemMAC ?? SystemMAC.derived(stateDirectory: options.stateDirectory)
        lldp = LLDPAgent(settings: initial.lldpSettings(effective: bridge, systemMAC: systemMAC, version: Self.version))
        controlPlane = ControlPlane(
            clock: { [clock = dataplane.clock] in clock.now() },
            drain: { [weak dataplane] body in dataplane?.receivePunted { body($0.port, $0.time, $0.bytes) } ?? 0 },
            transmit: { [weak dataplane] frame in
                dataplane?.transmit(frame.bytes, port: frame.port, evenIfDisabled: frame.evenIfPortDisabled) ?? false
            })
        controlPlane.register(lldp)
        evb = EVBAgent(settings: initial.evbSettings(effective: bridge, systemMAC: systemMAC), types: initial.vsiTypeDatabase)
        controlPlane.register(evb)
        puntEtherTypes = controlPlane.interest.etherTypes
        dataplane.setPuntListener { [weak controlPlane] in controlPlane?.wake() }
        lldp.setObserver { [lldpNeighborEvents] event in lldpNeighborEvents.publish(event) }
        stateDirectory = options.stateDirectory
        // Flash that cannot be opened does not stop the switch: it boots without it.
        flashSlot = FlashSlot(directory: options.stateDirectory) { [engine] text in
            EnableSecret.hashingClearSecrets(in: text, engine: engine) ?? text
        }
        vmEvents.attach(to: self)
        vmManager.attach(to: self)
        policyDB.attach(to: self)
        // Through the flood guard: neighbours are whatever the wire says, and a peer cycling
        // chassis IDs must not push everything else out of the log.
        lldpNeighborEvents.subscribe { [repeatedEvents, clock = dataplane.clock] event in
            let now = clock.now()
            repeatedEvents.log(event.severity, "lldp", kind: event.floodKind, event.logMessage,
                               at: Date(timeIntervalSince1970: Double(now.nanoseconds) / 1e9))
        }
        lldpNeighborEvents.subscribe { [weak self] event in self?.cdcpNeighborChanged(event) }
        lldpNeighborEvents.subscribe { [weak self] event in self?.evbNeighborChanged(event) }
        evb.setObserver { [weak self] event in self?.vdpEvent(event) }
        // Hosts behind ports come from LLDP: the VM managers' verdicts follow them.
        lldpNeighborEvents.subscribe { [vmManager] _ in vmManager.topologyChanged() }
        if let notice = flashSlot.notice { eventLog.log(.error, "flash", notice) }
        // Ports that asked for AF_XDP and run on libpcap, said once (main.swift prints them too).
        for notice in dataplane.attachmentNotices { eventLog.log(.warning, "interface", notice) }
    }

    public convenience init(portCount: Int) throws(SwitchStartError) {
        try self.init(SwitchOptions(portCount: portCount))
    }

    /// Replays attached capture files to their end, then starts forwarding on its own thread.
    /// - Returns: warnings about damaged capture files (their good frames were replayed),
    ///   also in the event log: the caller shows them on its console.
    @discardableResult
    public func start() throws(SwitchStartError) -> [String] {
        let damage: [String]
        do {
            // While captures replay, each frame's VM events are handled before the next frame.
            damage = try learning.whilePusherDrains { () throws(DataplaneError) -> [String] in
                // The control plane wakes at the first replayed frame (the virtual clock
                // means nothing before it), then runs its timers between frames.
                let started = Atomic(false)
                return try dataplane.start(untilEachReplayedFrame: { [controlPlane] time, moveClock in
                    if !started.exchange(true, ordering: .relaxed) { moveClock(time) }
                    controlPlane.catchUp(to: time, setClock: moveClock)
                }, afterEachReplayedFrame: { [weak self] in
                    guard let self else { return }
                    if learning.hasPending { VMEventWorker.drain(self) }
                    // A punted frame is answered at its own time, before the next frame.
                    if dataplane.puntedFrames.count > 0 { controlPlane.step() }
                })
            }
        } catch {
            throw SwitchStartError("\(error)")
        }
        for warning in damage { eventLog.log(.warning, "replay", warning) }
        // After a stop (which said goodbye on every port), LLDP runs on its settings again.
        state.withLock { s in
            guard s.publishedLLDP == nil else { return }
            let settings = s.lldpSettings(effective: s.published ?? s.effectiveConfiguration(), systemMAC: systemMAC,
                                          version: Self.version)
            lldp.configure(settings)
            s.publishedLLDP = settings
        }
        controlPlane.start()
        return damage
    }

    /// Stops the control plane and forwarding. Every port that was sending LLDP sends its
    /// shutdown LLDPDU first, so neighbours forget the switch now rather than after its TTL.
    public func stop() {
        vmManager.stopAll()
        policyDB.stop()
        controlPlane.stop()
        // A switch never reconfigured since boot runs the settings it was built with.
        var goodbye = state.withLock { $0.publishedLLDP } ?? lldp.snapshot.settings
        if goodbye.enabled {
            goodbye.enabled = false
            lldp.configure(goodbye)
            controlPlane.step()
            // The forwarding thread sends what was queued before it serves this.
            if dataplane.isRunning { dataplane.withPipeline { _ in } }
            // A later publish (a restarted switch) hands the agent its settings again.
            state.withLock { $0.publishedLLDP = nil }
        }
        dataplane.stop()
    }

    public var hostname: String { state.withLock { $0.hostname } }

    /// The grammar files the engine was built from (for the reference manual and tests).
    public static var grammarFiles: [(name: String, text: String)] { EmbeddedGrammar.files }

    /// A new session's shell. Local sessions start privileged (cli.md: whoever may run the
    /// binary on the state dir owns the switch).
    public func shell(kind: SessionKind, privileged: Bool = true) throws(ShellSetupError) -> Shell {
        try Shell(host: self, kind: kind, privileged: privileged)
    }

    public func completionValues(for slot: ParameterSlot) -> [String] {
        switch slot.name {
        case "vlan": return state.withLock { $0.bridge.vlans.existing.members.map { String($0) } }
        case "ports", "port": return (1...max(portCount, 1)).map(String.init)
        case "mac":
            let vmMACs = vms.entries().map { $0.mac.description }
            return Array(Set(vmMACs + dataplane.macEntries().map { $0.mac.description })).sorted()
        case "index": return vms.entries().map(\.index).sorted().map(String.init)
        case "group": return state.withLock { $0.virt.groups.keys.sorted().map(String.init) }
        case "profile": return state.withLock { $0.virt.profiles.keys.sorted() }
        default: return []
        }
    }

    /// Changes the configuration as one step: the change is made on a copy, published to the
    /// forwarding engine, and kept only if both succeed; otherwise nothing changes.
    func configure<T>(_ change: (inout SwitchState) throws(CommandFailure) -> T) throws(CommandFailure) -> T {
        let deferred = replaysInProgress.withLock { $0 > 0 }
        return try state.withLock { (s: inout SwitchState) throws(CommandFailure) -> T in
            var copy = s
            let result = try change(&copy)
            // During a replay the forwarding engine gets the result once, at the end.
            if !deferred {
                try refusing { () throws(BridgeConfigurationError) in try publish(&copy) }
            }
            s = copy
            return result
        }
    }
}

/// Why the switch could not be built or started (bad port count, missing interface, ...).
public struct SwitchStartError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    /// A message as a sentence: its first word capitalized, unless that word is a value
    /// (`ff:ff:ff:ff:ff:ff is not ...`, a name, a path) or a word spelled with capitals
    /// inside (`vNIC`), which keeps its spelling.
    var capitalizedFirst: String {
        var firstWord = prefix { $0 != " " }
        if let last = firstWord.last, ":,;".contains(last) { firstWord = firstWord.dropLast() }
        guard !firstWord.isEmpty, firstWord.allSatisfy({ $0.isASCII && $0.isLetter }),
              !firstWord.dropFirst().contains(where: \.isUppercase) else { return self }
        return prefix(1).uppercased() + dropFirst()
    }
}

/// Runs a bridge configuration edit, turning its refusal into the CLI's `% ...` message.
func refusing<T>(_ body: () throws(BridgeConfigurationError) -> T) throws(CommandFailure) -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure(error.description.capitalizedFirst)
    }
}

extension VMreadySwitch {
    /// The switch clock's now as a date, as the event log's lines are stamped: virtual in
    /// replays and transcripts.
    var clockDate: Date { Date(timeIntervalSince1970: Double(dataplane.clock.now().nanoseconds) / 1e9) }
}
