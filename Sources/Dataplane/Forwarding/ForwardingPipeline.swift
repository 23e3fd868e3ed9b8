import Frames
import SwitchTypes

/// The 802.1Q bridge: classifies, learns, forwards, floods and tags each
/// received frame, and accounts for every one of them.
///
/// Single-threaded by design: it is owned by one thread (the forwarding thread
/// of `ForwardingEngine`, or a test or benchmark driving it directly) and
/// holds no locks. All per-frame state — MAC table slots, counters, the
/// compiled configuration, the scratch space for retagged frames — is
/// preallocated, so processing a frame allocates nothing.
public final class ForwardingPipeline {
    /// Longest frame accepted (the largest pcap snapshot); longer ones are `malformed`.
    public static let maximumFrameLength = 65535

    /// Number of ports, 1...N.
    public let portCount: Int
    /// The MAC table (owned by this pipeline's thread).
    public let macTable: MACTable
    /// The clock read once per batch (or per single frame).
    public let clock: any DataplaneClock
    /// The configuration in effect.
    public private(set) var configuration: BridgeConfiguration
    /// Where egress frames go. A `let`: the forwarding path then calls it without the
    /// retain and release around every transmit that a `var` (which the call could
    /// reassign) costs, 8 % of a 64-byte frame's cycles in a profile.
    public let egress: any EgressSink
    /// Told of newly learned and moved stations.
    public var learningObserver: (any LearningObserver)?
    /// `configuration.reportedOUIs`, as installed.
    private(set) var reportedOUIs: Set<UInt32>?
    /// The switch time used for the frames being processed.
    public private(set) var now: Timestamp

    // Internal rather than private: the policy path (ForwardingPipeline+Policy) shares them.
    let plan: ForwardingPlan
    let counters: CounterTable
    var nowSeconds: UInt32 = 0
    /// `now` for the station policers (`Policer.time`), which never goes back:
    /// a replayed capture's earlier time refills no bucket.
    var policingTime: UInt64 = 0
    private var latestNanoseconds = Int64.min
    // Scratch space for the two rewritten forms of a frame (tag removed, tag
    // added or rewritten), each built at most once per frame however many
    // ports it floods to.
    private let strippedScratch: UnsafeMutableRawBufferPointer
    private let taggedScratch: UnsafeMutableRawBufferPointer
    /// A vNIC's received frame without its S-tag, and a frame for a vNIC with its S-tag
    /// (ForwardingPipeline+VNICs): apart from the two above, which hold forms of the former.
    let vnicIngressScratch: UnsafeMutableRawBufferPointer
    let vnicEgressScratch: UnsafeMutableRawBufferPointer
    /// While a vNIC's frame is forwarded: the frame as received, S-tag and all, which a
    /// copy for another vNIC reuses (ForwardingPipeline+VNICs); empty otherwise.
    var vnicIngressOriginal = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Where `forward` puts a caller's frame: the pipeline may write a frame while it
    /// forwards it (a vNIC's S-VID, put back after the send), so it forwards only frames
    /// in memory of its own (this, or a `FrameBatch`).
    private let receivedScratch: UnsafeMutableRawBufferPointer
    /// The vNIC configuration compiled (see `VNICLayout`).
    let vnics = VNICTable()
    /// The compiled ACLs and their hit counters.
    let acls: ACLTable
    /// The installed station policies, compiled, and the stations' state. The
    /// pipeline owns the installed set: `apply` replaces it when the configuration's
    /// `stationPolicies` change, `updateStationPolicies` edits it in place
    /// (ForwardingPipeline+Stations).
    var stations: StationTable {
        didSet { stationLookup = stations.lookup }
    }
    /// `stations`' storage, read by the forwarding path without reference counting
    /// (taken again after every change of the table).
    var stationLookup: StationLookup
    /// Station policies refused because the table held `stationLimit`.
    var refusedStationPolicies: UInt64 = 0
    /// Most stations installed: `BridgeConfiguration.maximumStationPolicies` (tests
    /// lower it to reach it without a million stations).
    var stationLimit = BridgeConfiguration.maximumStationPolicies
    /// The VLANs MAC table entries may be in (see `stationEntryVLANs`), nil when to be worked out again.
    var entryVLANs: [UInt16]?
    /// Every VLAN a station policy has named (entries of its stations may be in it).
    var stationVLANs = VLANSet()
    /// Some port has an ACL or some station a policy: frames take the policy path.
    /// Checked once per frame, so without policies forwarding costs what it did.
    var policyActive = false
    /// The policy path's classification of the frames of one vector (see `forwardVectors`).
    let vectorClassifications: UnsafeMutablePointer<SourceClassification>
    /// The plain loop's vNIC frames of one vector: the switch-mode vNIC whose frame the
    /// look-ahead classified for `forwardBetweenVNICs` (its bridge port number; 0 for any
    /// other frame), its VLAN and home slot then in `vectorClassifications`.
    let vectorVNICs: UnsafeMutablePointer<UInt8>
    /// Frames taken off the forwarding path for the control plane (ForwardingPipeline+Punt):
    /// this pipeline's thread produces, the control plane consumes.
    public let punts: PuntRing
    /// Called on this pipeline's thread after each punted frame: it must only hand off
    /// (signal a semaphore, write to a pipe), never wait.
    public var puntListener: (@Sendable () -> Void)?
    /// One bit per EtherType, set for `configuration.puntEtherTypes`.
    let puntTypes: UnsafeMutablePointer<UInt64>
    static let puntTypeWords = 65536 / 64

    /// Creates a pipeline.
    /// - Parameters:
    ///   - configuration: the initial configuration (validated).
    ///   - egress: where frames go out.
    ///   - clock: the switch clock.
    ///   - puntCapacity: frames the punt ring holds (rounded up to a power of two).
    /// - Throws: `BridgeConfigurationError` when the configuration is invalid.
    public init(configuration: BridgeConfiguration, egress: any EgressSink,
                clock: any DataplaneClock = SystemClock(),
                puntCapacity: Int = PuntRing.defaultCapacity) throws(BridgeConfigurationError) {
        try configuration.validate()
        portCount = configuration.portCount
        self.configuration = configuration
        self.egress = egress
        self.clock = clock
        now = clock.now()
        macTable = MACTable(limit: configuration.macLimit, staticReserve: configuration.staticMACEntries.count,
                            ageingSeconds: configuration.macAgeingSeconds)
        plan = ForwardingPlan(portCount: portCount)
        // Rows for every bridge port there can be: vNICs are numbered after the physical ports.
        counters = CounterTable(portCount: BridgeConfiguration.maximumPorts)
        acls = ACLTable(portCount: BridgeConfiguration.maximumPorts)
        stations = StationTable(entries: [], configuration: configuration, acls: acls, previous: nil, now: 0,
                                plan: plan)
        stationLookup = stations.lookup
        strippedScratch = .allocate(byteCount: ForwardingPipeline.maximumFrameLength + 4, alignment: 16)
        taggedScratch = .allocate(byteCount: ForwardingPipeline.maximumFrameLength + 4, alignment: 16)
        vnicIngressScratch = .allocate(byteCount: ForwardingPipeline.maximumFrameLength, alignment: 16)
        vnicEgressScratch = .allocate(byteCount: ForwardingPipeline.maximumFrameLength + 8, alignment: 16)
        receivedScratch = .allocate(byteCount: ForwardingPipeline.maximumFrameLength, alignment: 16)
        vectorClassifications = .allocate(capacity: ForwardingPipeline.vectorSize)
        vectorClassifications.initialize(repeating: SourceClassification(station: -1, vlan: 0, flags: 0),
                                         count: ForwardingPipeline.vectorSize)
        vectorVNICs = .allocate(capacity: ForwardingPipeline.vectorSize)
        vectorVNICs.initialize(repeating: 0, count: ForwardingPipeline.vectorSize)
        punts = PuntRing(capacity: puntCapacity)
        puntTypes = .allocate(capacity: ForwardingPipeline.puntTypeWords)
        puntTypes.initialize(repeating: 0, count: ForwardingPipeline.puntTypeWords)
        refreshTime()
        installConfiguration(configuration, initial: true)
    }

    deinit {
        strippedScratch.deallocate()
        taggedScratch.deallocate()
        vnicIngressScratch.deallocate()
        vnicEgressScratch.deallocate()
        receivedScratch.deallocate()
        vectorClassifications.deallocate()
        vectorVNICs.deallocate()
        puntTypes.deallocate()
    }

    // MARK: Configuration

    /// Replaces the configuration. Dynamic MAC entries on ports that went down
    /// or left a VLAN are flushed; static entries follow the configuration.
    /// - Throws: `BridgeConfigurationError` (and changes nothing) when invalid or
    ///   when the port count differs.
    public func apply(_ newConfiguration: BridgeConfiguration) throws(BridgeConfigurationError) {
        try newConfiguration.validate()
        guard newConfiguration.portCount == portCount else { throw .invalidPortCount(newConfiguration.portCount) }
        installConfiguration(newConfiguration)
    }

    /// Installs a configuration. Only what changed is redone: compiling the plan and
    /// sweeping the MAC table cost tens of microseconds, and most CLI changes (a VLAN's
    /// name, the ageing time) touch neither membership nor the table.
    private func installConfiguration(_ newConfiguration: BridgeConfiguration, initial: Bool = false) {
        let old = configuration
        configuration = newConfiguration
        let vnicsChanged = initial || old.vnicEnabled != newConfiguration.vnicEnabled
            || old.vnicPorts != newConfiguration.vnicPorts || old.vnicGroups != newConfiguration.vnicGroups
        let membershipChanged = initial || old.ports != newConfiguration.ports
            || old.vlans.existing != newConfiguration.vlans.existing || vnicsChanged
        // The static plan is recompiled under the dynamic membership, which it keeps.
        if membershipChanged {
            plan.compile(newConfiguration)
            vnics.compile(newConfiguration, layout: VNICLayout(newConfiguration), time: policingTime)
            if !initial { forgetRenumberedPorts(old: old, new: newConfiguration) }
        }
        if initial || old.acls != newConfiguration.acls || old.ports != newConfiguration.ports || vnicsChanged {
            acls.compile(newConfiguration)
        }
        // The installed set is replaced only when the configuration's own policies change
        // (the switch leaves them empty and sends updates); new ACLs or policy ports
        // recompile the installed set as it is.
        let policiesReplaced = initial || old.stationPolicies != newConfiguration.stationPolicies
        let stationsChanged = policiesReplaced
            || old.acls != newConfiguration.acls || old.stationPolicyPorts != newConfiguration.stationPolicyPorts
        if stationsChanged {
            recompileStations(policiesReplaced ? boundedStationPolicies(newConfiguration) : stations.entries,
                              configuration: newConfiguration)
        }
        entryVLANs = nil
        policyActive = stations.count > 0 || acls.hasPortACLs
        reportedOUIs = newConfiguration.reportedOUIs
        if initial || old.puntEtherTypes != newConfiguration.puntEtherTypes {
            compilePuntTypes(newConfiguration.puntEtherTypes)
        }
        macTable.ageingSeconds = newConfiguration.macAgeingSeconds
        if initial || old.macLimit != newConfiguration.macLimit { macTable.setLimit(newConfiguration.macLimit) }
        if initial || old.macPortLimits != newConfiguration.macPortLimits || vnicsChanged {
            macTable.setPortLimits(newConfiguration.bridgePortMACLimits)
        }
        let staticsChanged = initial || membershipChanged
            || old.staticMACEntries != newConfiguration.staticMACEntries
        if staticsChanged {
            let statics = newConfiguration.staticMACEntries
            macTable.removeStatic(notIn: Set(statics.map { MACTableSlot.key(mac: $0.mac, vlan: $0.vlan) }))
            for entry in statics { macTable.setStatic(entry.mac, vlan: entry.vlan, port: entry.port, at: now) }
        }
        // Each slot caches its MAC's station index, which a new table or a rewritten static entry invalidates.
        if stationsChanged || (staticsChanged && stations.count > 0) {
            let stations = self.stations
            let lookup = stations.lookup
            macTable.retagStations { mac in lookup.index(of: mac).map(lookup.tag(for:)) ?? 0 }
        }
        // Learned entries only go stale when a port went down or lost a VLAN. Creating VLANs
        // with the ports unchanged only adds membership: no sweep of the whole table. New
        // station policies may take dynamic membership away: sweep then too.
        let onlyGrew = old.ports == newConfiguration.ports && !vnicsChanged
            && old.vlans.existing.subtracting(newConfiguration.vlans.existing).isEmpty
        if (membershipChanged && !(onlyGrew && !initial)) || (stationsChanged && !initial) {
            let plan = self.plan
            macTable.removeDynamic { vlan, port in !plan.isEnabled(port) || !plan.isMember(port, of: vlan) }
        }
    }

    // MARK: Time

    /// Reads the clock and ages the next slice of the MAC table (a bounded
    /// amount of work, see `MACTable+Ageing`). Called per batch; idle loops call
    /// it so ageing goes on.
    public func refreshTime() {
        now = clock.now()
        nowSeconds = MACTable.seconds(now)
        if now.nanoseconds > latestNanoseconds {
            latestNanoseconds = now.nanoseconds
            policingTime = Policer.time(nanoseconds: latestNanoseconds)
        }
        macTable.age(at: now)
    }

    // MARK: Frames

    /// Processes one frame received on `ingressPort`, reading the clock first.
    /// The buffer is only read during the call (the pipeline forwards a copy). An `ingressPort` outside
    /// 1...portCount is a caller bug and is ignored (there is no port to count it on).
    public func process(frame: UnsafeRawBufferPointer, ingressPort: Int) {
        refreshTime()
        forward(frame, ingressPort: ingressPort)
    }

    /// Processes every frame of `batch` in order, reading the clock once. The batch's
    /// frames may be written while they are forwarded, and are as they were on return.
    public func process(_ batch: FrameBatch) {
        refreshTime()
        if !policyActive { return forwardPlainVectors(batch) }
        if stations.count != 0 { return forwardPolicyVectors(batch) }
        for index in 0..<batch.count {
            let (frame, port) = batch[index]
            forwardOwned(frame, ingressPort: port)
        }
    }

    /// Processes one frame at the current `now` without reading the clock
    /// (for drivers that already called `refreshTime()` for this batch); the buffer is
    /// only read (a frame that fits a port is forwarded from a copy).
    public func forward(_ frame: UnsafeRawBufferPointer, ingressPort port: Int) {
        guard let base = frame.baseAddress, frame.count <= receivedScratch.count else {
            // Too long for any port (or empty): `receive` counts and drops it unread.
            return forwardOwned(frame, ingressPort: port)
        }
        receivedScratch.baseAddress!.copyMemory(from: base, byteCount: frame.count)
        forwardOwned(UnsafeRawBufferPointer(start: receivedScratch.baseAddress, count: frame.count), ingressPort: port)
    }

    /// `forward` for a frame in the pipeline's own memory.
    @inline(__always)
    private func forwardOwned(_ frame: UnsafeRawBufferPointer, ingressPort port: Int) {
        guard receive(frame, ingressPort: port) else { return }
        forwardReceived(frame, ingressPort: port)
    }

    /// Forwards a frame `receive` let through, or a vNIC's frame without its S-tag
    /// (`port` is then the vNIC's bridge port): `decide`'s plain copy, or its policy copy
    /// when some port has an ACL or some station a policy.
    @inline(always)
    func forwardReceived(_ frame: UnsafeRawBufferPointer, ingressPort port: Int) {
        if policyActive { return forwardWithPolicy(frame, ingressPort: port) }
        let stations = stationLookup
        decide(frame, ingressPort: port, classify(frame, port: port, stations, PlainForwarding.self), stations,
               PlainForwarding.self)
    }

    /// `decide`'s single-frame policy copy, out of line: the plain loop, which branches
    /// here once per frame, stays as small as a switch without policies needs.
    @inline(never)
    func forwardWithPolicy(_ frame: UnsafeRawBufferPointer, ingressPort port: Int) {
        let stations = stationLookup
        decide(frame, ingressPort: port, classify(frame, port: port, stations, PolicyForwarding.self), stations,
               PolicyForwarding.self)
    }

    /// Learns a unicast, non-zero source (only those name a station); `station` is its
    /// station index (-1 for none): a new or moved station is relocated. `frame` is what
    /// the learning observer parses, made only for a station new or moved: the vNIC fast
    /// path strips its S-tag only then.
    /// - Returns: true when the entry is in the table on `port` afterwards.
    @discardableResult @inline(always)
    func learnSource(_ source: MACAddress, vlan: UInt16, port: Int, station: Int = -1,
                     frame: @autoclosure () -> UnsafeRawBufferPointer) -> Bool {
        guard source.rawValue != 0, !source.isMulticast else { return false }
        let result = macTable.learn(key: MACTableSlot.key(mac: source, vlan: vlan),
                                    port: UInt16(truncatingIfNeeded: port), nowSeconds: nowSeconds,
                                    stationTag: station >= 0 ? stationLookup.tag(for: station) : 0)
        switch result {
        case .refreshed:
            return true
        case .staticEntry:
            return false
        case .learned:
            learnedOrMoved(source, vlan: vlan, port: port, previousPort: nil, station: station, frame: frame())
            return true
        case .moved(let previous):
            learnedOrMoved(source, vlan: vlan, port: port, previousPort: previous, station: station, frame: frame())
            return true
        case .tableFull:
            counters.add(.learningRefused, port: port)
            return false
        case .portLimit:
            counters.add(.portLimitRefused, port: port)
            return false
        }
    }

    /// Relocates the station (its VLAN membership follows it before the frame is
    /// forwarded) and tells the observer. Rare, so kept out of the frame's path.
    @inline(never)
    private func learnedOrMoved(_ mac: MACAddress, vlan: UInt16, port: Int, previousPort: Int?, station: Int,
                                frame: UnsafeRawBufferPointer) {
        if station >= 0 { stations.relocate(station, learnedOn: port) }
        notifyLearned(mac, vlan: vlan, port: port, previousPort: previousPort, frame: frame)
    }

    /// Sends a classified frame to its known destination, or floods it (no policy:
    /// vNIC groups and the vNIC fast path's other destinations).
    @inline(always)
    func bridge(_ output: inout EgressForms, destination: MACAddress, from port: Int) {
        guard let found = knownDestination(MACTableSlot.key(mac: destination, vlan: output.vlan),
                                           multicast: destination.isMulticast, vlan: output.vlan, from: port,
                                           home: nil) else { return }
        if found.port == 0 { return flood(&output, from: port) }
        counters.add(.forwarded, port: port)
        send(&output, to: found.port)
    }

    // MARK: Counters and snapshots

    /// Port `port`'s counters.
    public func counters(port: Int) -> PortCounters {
        var result = counters.counters(port: port)
        // Evictions are the MAC table's to count: the port losing the entry is not the one learning.
        result.macEvicted = macTable.evictedCount(port: port)
        return result
    }

    /// Every port's counters, port 1 first.
    public func allCounters() -> [PortCounters] { (1...portCount).map { counters(port: $0) } }

    /// The live MAC table entries, vNICs named as such ("1.2").
    public func macEntries() -> [MACTableEntry] {
        macTable.entries(at: now).map { entry in
            guard entry.port > portCount else { return entry }
            var named = entry
            let name = vnics.name(of: entry.port)
            named.port = name.port
            named.vnic = name.vnic
            return named
        }
    }

    /// Zeroes the counters of `port`, or of every port when nil (then the
    /// stations' counters and the ACL hits too).
    public func clearCounters(port: Int? = nil) {
        if let port {
            guard port >= 1, port <= portCount else { return }
            counters.reset(port: port)
            macTable.resetCounters(port: port)
        } else {
            for port in 1...portCount { counters.reset(port: port) }
            for number in vnics.vnicNumbers { counters.reset(port: number) }
            macTable.resetCounters()
            stations.clearCounters()
            refusedStationPolicies = 0
            acls.clearHits()
        }
    }

    /// Removes dynamic MAC entries, optionally only those of one VLAN and/or port.
    /// - Returns: how many were removed.
    @discardableResult
    public func clearDynamicMACEntries(vlan: UInt16? = nil, port: Int? = nil) -> Int {
        macTable.removeDynamic { entryVLAN, entryPort in
            (vlan == nil || vlan == entryVLAN) && (port == nil || port == entryPort)
        }
    }

    /// A consistent picture of the whole pipeline at `now`.
    public func snapshot() -> DataplaneSnapshot {
        var snapshot = DataplaneSnapshot(time: now, configuration: configuration, counters: allCounters(),
                                         macEntries: macEntries(), macTable: MACTableStatistics(macTable),
                                         stations: stationTableStatistics())
        snapshot.vnicCounters = vnicCounters()
        return snapshot
    }

    // MARK: Internals

    /// Counts a received frame and tells whether it goes on to be forwarded: the
    /// port exists and is up, the frame's length is one the bridge handles, and it
    /// is not the control plane's (punted here, before VLAN classification: it
    /// belongs to the port, so a trunk without its native VLAN still hears LLDP).
    /// A disabled port receives nothing, its control frames included. A frame of a port
    /// with vNIC business is taken to that port's path here (false).
    @inline(__always)
    func receive(_ frame: UnsafeRawBufferPointer, ingressPort port: Int) -> Bool {
        guard accept(frame, ingressPort: port) else { return false }
        // Ports without vNIC business (every port when no vNIC is configured) pay this test only.
        if plan.vnicPorts & ForwardingPlan.bit(port) != 0 {
            receiveOnVNICPort(frame, port: port)
            return false
        }
        return true
    }

    /// `receive`'s part for every port: counted, and true when the frame goes on to the
    /// port's own path (a vNIC port's included).
    @inline(__always)
    func accept(_ frame: UnsafeRawBufferPointer, ingressPort port: Int) -> Bool {
        guard port >= 1, port <= portCount else { return false }
        let length = frame.count
        counters.add(.rxFrames, port: port)
        counters.add(.rxBytes, port: port, UInt64(length))
        guard plan.isEnabled(port) else {
            drop(.portDown, port: port)
            return false
        }
        guard length >= ParsedFrame.headerLength, length <= ForwardingPipeline.maximumFrameLength else {
            drop(.malformed, port: port)
            return false
        }
        if isPunted(frame) {
            punt(frame, port: port)
            return false
        }
        return true
    }

    @inline(__always)
    func drop(_ reason: DropReason, port: Int) {
        counters.addDrop(reason, port: port)
    }

    /// An S-tag must be followed by its TCI and a type, and an inner C-tag likewise.
    func isServiceTagComplete(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard frame.count >= 18 else { return false }
        return frame.loadBigEndianUInt16(at: 16) != EtherType.vlan || frame.count >= 22
    }

    func notifyLearned(_ mac: MACAddress, vlan: UInt16, port: Int, previousPort: Int?,
                               frame: UnsafeRawBufferPointer) {
        guard let observer = learningObserver, reportedOUIs.map({ $0.contains(mac.oui) }) ?? true,
              let parsed = try? ParsedFrame(parsing: frame) else { return }
        // Bridge port numbers past the physical ports are vNICs: the observer hears "1.2".
        let current = port > portCount ? vnics.name(of: port) : BridgePort(port: port)
        let previous = previousPort.map { $0 > portCount ? vnics.name(of: $0) : BridgePort(port: $0) }
        let taken = observer.stationLearned(LearningEvent(mac: mac, vlan: vlan, port: current.port, vnic: current.vnic,
                                                          previousPort: previous?.port, previousVNIC: previous?.vnic,
                                                          time: now, frame: parsed))
        // Not taken (the observer's ring is full): forget the entry, so the station's next
        // frame is learned, and reported, again rather than the event being lost.
        if !taken { _ = macTable.removeDynamic(mac, vlan: vlan) }
    }

    /// Unknown unicast, broadcast, multicast: to every other member port that is up, and
    /// back out of the ingress port too when it is in reflective relay (a VEPA hypervisor
    /// relies on the bridge for its VMs' broadcasts to each other).
    @inline(__always)
    func flood(_ output: inout EgressForms, from port: Int) {
        counters.add(.flooded, port: port)
        var targets = plan.members(of: output.vlan) & plan.enabledPorts & ~(ForwardingPlan.bit(port) & ~plan.hairpinPorts)
        while targets != 0 {
            let target = targets.trailingZeroBitCount + 1
            targets &= targets &- 1
            send(&output, to: target)
        }
    }

    /// Sends the right form of the frame (tagged or not) out of `port`.
    /// - Returns: the bytes sent, 0 when the port could not take the frame.
    @inline(__always) @discardableResult
    func send(_ output: inout EgressForms, to port: Int) -> Int {
        let untagged = plan.untaggedMembers(of: output.vlan) & ForwardingPlan.bit(port) != 0
        let frame = untagged ? output.untaggedForm(scratch: strippedScratch)
                             : output.taggedForm(scratch: taggedScratch)
        if port > portCount { return sendToVNIC(frame, number: port) }
        if egress.transmit(frame, port: port) {
            counters.add(.txFrames, port: port)
            counters.add(.txBytes, port: port, UInt64(frame.count))
            return frame.count
        } else {
            counters.add(.txDropped, port: port)
            return 0
        }
    }
}
