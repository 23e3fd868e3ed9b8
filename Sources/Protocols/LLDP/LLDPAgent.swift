import Frames
import Synchronization
import SwitchTypes

/// The switch's LLDP (IEEE 802.1AB) on every port: it advertises the switch to its
/// neighbours (fast start, the refresh interval, a shutdown LLDPDU when a port stops
/// sending) and keeps what they advertise (`LLDPNeighborTable`, aged by their TTL).
///
/// Runs on the control-plane loop. The switch hands it new settings from any thread
/// (`configure`), reads what it knows through `snapshot` (never waiting for the loop), and
/// is told of neighbours coming and going through `setObserver`.
public final class LLDPAgent: ProtocolAgent, Sendable {
    public let name = "lldp"
    public let interest = FrameInterest(destinations: Set(LLDPAgentKind.allCases.map(\.address)),
                                        etherTypes: [EtherType.lldp])

    /// Per-port counters (802.1AB's statistics, `show lldp statistics`).
    public struct Counters: Hashable, Sendable {
        public var framesOut = 0
        public var framesIn = 0
        /// LLDPDUs discarded whole (malformed).
        public var framesDiscarded = 0
        /// TLVs received that the switch does not know (kept for `detail`).
        public var tlvsUnrecognized = 0
        /// LLDPDUs received while the port does not receive (tx_only, disabled, LLDP off).
        public var framesIgnored = 0

        public init() {}
    }

    /// What `show lldp ...` reads.
    public struct Snapshot: Sendable {
        public var settings: LLDPSettings
        public var neighbors: LLDPNeighborTable<LLDPDU>
        public var counters: [Int: Counters]
    }

    /// What a neighbour did, for `show logging` and the subsystems that follow hosts.
    public struct NeighborEvent: Sendable {
        public enum Kind: Hashable, Sendable { case added, changed, removed(LLDPNeighborTable<LLDPDU>.Removal) }
        public var kind: Kind
        public var port: Int
        public var agent: LLDPAgentKind
        public var neighbor: LLDPDU
    }

    /// State only the loop touches (inside `ProtocolAgent` calls).
    private struct Running {
        var settings: LLDPSettings
        /// Per port, the nearest-bridge agent's (ordinary LLDP).
        var timers: [LLDPTransmitTimer]
        /// Per port, the nearest-customer-bridge agent's: it runs where the port has something
        /// for a station there (CDCP, EVB), as lldpad expects it there.
        var customerTimers: [LLDPTransmitTimer] = []
        var neighbors = LLDPNeighborTable<LLDPDU>()
        var counters: [Int: Counters] = [:]
    }

    private let running: Mutex<Running>
    private let pending = Mutex<LLDPSettings?>(nil)
    private let published: Mutex<Snapshot>
    private let observer = Mutex<(@Sendable (NeighborEvent) -> Void)?>(nil)
    /// Set when the state changed since the snapshot was last published.
    private let dirty = Atomic<Bool>(false)

    public init(settings: LLDPSettings) {
        running = Mutex(Running(settings: settings, timers: [], customerTimers: []))
        published = Mutex(Snapshot(settings: settings, neighbors: LLDPNeighborTable(), counters: [:]))
        pending.withLock { $0 = settings }
    }

    // MARK: From the switch (any thread)

    /// New settings, applied on the loop's next step (the caller wakes the loop).
    public func configure(_ settings: LLDPSettings) { pending.withLock { $0 = settings } }

    /// Told of every neighbour added, changed or removed, on the loop's thread: must only hand off.
    public func setObserver(_ body: (@Sendable (NeighborEvent) -> Void)?) { observer.withLock { $0 = body } }

    /// What the agent knew after its last step.
    public var snapshot: Snapshot { published.withLock { $0 } }

    /// Zeroes the counters (`clear lldp statistics`).
    public func clearCounters() {
        running.withLock { state in
            state.counters = [:]
            state.neighbors.clearCounters()
        }
        publish()
    }

    // MARK: ProtocolAgent (the loop's thread)

    /// Also publishes the snapshot when something changed: the loop asks once per step,
    /// after the step's frames and timers, so the copy `show` reads is made once per
    /// step, not once per frame (a copy taken per frame would make the next frame's table
    /// update copy the whole table).
    public var nextDeadline: Timestamp? {
        if dirty.exchange(false, ordering: .acquiringAndReleasing) { publish() }
        if pending.withLock({ $0 != nil }) { return Timestamp(nanoseconds: 0) }
        return running.withLock { state in
            let transmit = (state.timers + state.customerTimers).compactMap(\.nextTransmit).min()
            return [transmit, state.neighbors.nextExpiry].compactMap { $0 }.min()
        }
    }

    public func receive(_ frame: UnsafeRawBufferPointer, port: Int, at time: Timestamp) -> [OutboundFrame] {
        var out = applyPending(at: time)
        var events: [NeighborEvent] = []
        running.withLock { state in
            // Another protocol's frame to an LLDP address (a BPDU to 01:80:c2:00:00:00) is not ours to count.
            guard (1...state.settings.ports.count).contains(port), let (agent, body) = Self.lldpBody(of: frame) else { return }
            guard state.settings.enabled, state.settings.ports[port - 1].adminStatus.receives, state.settings.ports[port - 1].isUp else {
                state.counters[port, default: Counters()].framesIgnored += 1
                return
            }
            let neighbor: LLDPDU
            do {
                neighbor = try LLDPDU(decoding: body)
            } catch {
                state.counters[port, default: Counters()].framesDiscarded += 1
                return
            }
            state.counters[port, default: Counters()].framesIn += 1
            state.counters[port, default: Counters()].tlvsUnrecognized += Self.unrecognized(in: neighbor)
            let key = LLDPNeighborTable<LLDPDU>.Key(port: port, agent: agent, chassisID: neighbor.chassisID,
                                                     portID: neighbor.portID)
            guard let change = state.neighbors.heard(key, info: neighbor, ttlSeconds: Int(neighbor.timeToLive), at: time) else {
                return
            }
            events.append(Self.event(change))
            // A new neighbour learns about us at once (802.1AB's fast start), on its agent.
            if case .added = change {
                if agent == .nearestCustomerBridge {
                    state.customerTimers[port - 1].newNeighbor(at: time)
                } else {
                    state.timers[port - 1].newNeighbor(at: time)
                }
            }
            // A station asking for other S-channels gets its answer at once.
            if agent == .nearestCustomerBridge, case .changed = change { state.customerTimers[port - 1].somethingChanged(at: time) }
        }
        out += transmitDue(at: time)
        finish(events)
        return out
    }

    public func run(at now: Timestamp) -> [OutboundFrame] {
        var out = applyPending(at: now)
        let aged = running.withLock { state in state.neighbors.expire(at: now).map(Self.event) }
        out += transmitDue(at: now)
        finish(aged)
        return out
    }

    // MARK: Internals

    /// Adopts settings handed over by `configure`: starts and stops ports' transmission
    /// (a stop sends the shutdown LLDPDU), forgets neighbours of ports that stopped
    /// receiving, and advertises a change at once.
    private func applyPending(at now: Timestamp) -> [OutboundFrame] {
        guard let settings = pending.withLock({ $0.take() }) else { return [] }
        var out: [OutboundFrame] = []
        var events: [NeighborEvent] = []
        running.withLock { state in
            let previous = state.settings
            state.settings = settings
            if state.timers.count != settings.ports.count {
                state.timers = Array(repeating: LLDPTransmitTimer(), count: settings.ports.count)
                state.customerTimers = Array(repeating: LLDPTransmitTimer(), count: settings.ports.count)
            }
            // What every port advertises about the switch; a port's own part is compared below.
            let switchChanged = previous.chassisMAC != settings.chassisMAC || previous.systemName != settings.systemName
                || previous.systemDescription != settings.systemDescription
                || previous.managementAddress != settings.managementAddress || previous.timeToLive != settings.timeToLive
                || previous.dcbx != settings.dcbx
            for index in settings.ports.indices {
                let port = settings.ports[index]
                let portChanged = switchChanged || !previous.ports.indices.contains(index) || previous.ports[index] != port
                state.timers[index].interval = Int64(settings.refreshInterval)
                state.timers[index].reinitDelay = Int64(settings.reinitDelay)
                let transmits = settings.enabled && port.isUp && port.adminStatus.transmits
                if transmits {
                    state.timers[index].start(at: now)
                    if portChanged { state.timers[index].somethingChanged(at: now) }
                } else if state.timers[index].stop(at: now) {
                    // Port disabled or leaving tx: its neighbours forget us now, not after our TTL.
                    if let frame = Self.frame(for: index + 1, in: settings, timeToLive: 0) {
                        out.append(OutboundFrame(port: index + 1, bytes: frame, evenIfPortDisabled: true))
                        state.counters[index + 1, default: Counters()].framesOut += 1
                    }
                }
                out += customerTransmission(&state, port: index + 1, settings: settings, changed: portChanged, at: now)
                if !(settings.enabled && port.isUp && port.adminStatus.receives) {
                    events += state.neighbors.removeAll(port: index + 1).map(Self.event)
                }
            }
        }
        finish(events)
        return out
    }

    /// Starts or stops a port's nearest-customer-bridge transmission as its settings ask:
    /// it runs while the port transmits LLDP and has CDCP or EVB (its fast start sends the
    /// EVB TLV at link-up: lldpad sends its own only every 30 s and refuses VDP until it has
    /// heard the bridge's); a stop sends that agent's shutdown LLDPDU.
    private func customerTransmission(_ state: inout Running, port: Int, settings: LLDPSettings, changed: Bool,
                                      at now: Timestamp) -> [OutboundFrame] {
        let local = settings.ports[port - 1]
        state.customerTimers[port - 1].interval = Int64(settings.refreshInterval)
        state.customerTimers[port - 1].reinitDelay = Int64(settings.reinitDelay)
        if settings.enabled && local.isUp && local.adminStatus.transmits && (local.cdcp != nil || local.evb != nil) {
            state.customerTimers[port - 1].start(at: now)
            if changed { state.customerTimers[port - 1].somethingChanged(at: now) }
            return []
        }
        guard state.customerTimers[port - 1].stop(at: now),
              let frame = Self.customerFrame(for: port, in: settings, request: nil, timeToLive: 0) else { return [] }
        state.counters[port, default: Counters()].framesOut += 1
        return [OutboundFrame(port: port, bytes: frame, evenIfPortDisabled: true)]
    }

    /// Sends on every port whose timer is due, on each agent.
    private func transmitDue(at now: Timestamp) -> [OutboundFrame] {
        running.withLock { state in
            var out: [OutboundFrame] = []
            let ttl = state.settings.timeToLive
            for index in state.timers.indices where state.timers[index].isDue(at: now) {
                state.timers[index].sent(at: now)
                guard let frame = Self.frame(for: index + 1, in: state.settings, timeToLive: ttl) else { continue }
                out.append(OutboundFrame(port: index + 1, bytes: frame))
                state.counters[index + 1, default: Counters()].framesOut += 1
            }
            for index in state.customerTimers.indices where state.customerTimers[index].isDue(at: now) {
                state.customerTimers[index].sent(at: now)
                let station = state.neighbors.entries.values.first {
                    $0.key.port == index + 1 && $0.key.agent == .nearestCustomerBridge
                }?.info
                guard let frame = Self.customerFrame(for: index + 1, in: state.settings,
                                                     request: station.flatMap(CDCPPort.request(in:)),
                                                     stationEVB: station.flatMap { EVBTLV.first(in: $0.tlvs) },
                                                     timeToLive: ttl) else {
                    continue
                }
                out.append(OutboundFrame(port: index + 1, bytes: frame))
                state.counters[index + 1, default: Counters()].framesOut += 1
            }
            return out
        }
    }

    /// The nearest-customer-bridge LLDPDU port `port` sends to 01:80:c2:00:00:00: the
    /// mandatory TLVs, then the bridge's EVB TLV as negotiated with `stationEVB` (the
    /// station's last), then the bridge's CDCP answer to `request` (the station's last).
    public static func customerFrame(for port: Int, in settings: LLDPSettings, request: CDCPTLV?,
                                     stationEVB: EVBTLV? = nil, timeToLive: UInt16) -> [UInt8]? {
        var unit = LLDPDU(chassisID: .macAddress(settings.chassisMAC), portID: .interfaceName(LLDPText("port \(port)")),
                          timeToLive: timeToLive)
        if timeToLive > 0, let evb = settings.ports[port - 1].evb {
            unit.tlvs.append(.organizational(EVBNegotiation.tlv(bridge: evb, station: stationEVB).organizational))
        }
        if timeToLive > 0, let cdcp = settings.ports[port - 1].cdcp {
            unit.tlvs.append(.organizational(.cdcp(cdcp.answer(to: request))))
        }
        return try? unit.frame(source: settings.chassisMAC, destination: LLDPAgentKind.nearestCustomerBridge.address)
    }

    /// Marks the snapshot stale and tells the observer.
    private func finish(_ events: [NeighborEvent]) {
        dirty.store(true, ordering: .releasing)
        guard !events.isEmpty, let observer = observer.withLock({ $0 }) else { return }
        for event in events { observer(event) }
    }

    private func publish() {
        let snapshot = running.withLock { Snapshot(settings: $0.settings, neighbors: $0.neighbors, counters: $0.counters) }
        published.withLock { $0 = snapshot }
    }

    /// The LLDPDU port `port` sends: Chassis ID (the switch's MAC), Port ID (`port N`),
    /// TTL, then the optional TLVs the port advertises, DCBX's last. VLAN names that would
    /// not fit in 1,500 octets are left out, last first. A shutdown LLDPDU (TTL 0) carries
    /// the three mandatory TLVs only (802.1AB-2016 9.1.2.2), as lldpd's does.
    public static func frame(for port: Int, in settings: LLDPSettings, timeToLive: UInt16) -> [UInt8]? {
        let base = LLDPDU(chassisID: .macAddress(settings.chassisMAC), portID: .interfaceName(LLDPText("port \(port)")),
                          timeToLive: timeToLive)
        guard timeToLive > 0 else { return try? base.frame(source: settings.chassisMAC) }
        let local = settings.ports[port - 1]
        let advertised = local.advertised
        var tlvs: [LLDPTLV] = []
        if advertised.contains(.portDescription), !local.description.isEmpty {
            tlvs.append(.portDescription(LLDPText(local.description)))
        }
        if advertised.contains(.systemName), !settings.systemName.isEmpty { tlvs.append(.systemName(LLDPText(settings.systemName))) }
        if advertised.contains(.systemDescription), !settings.systemDescription.isEmpty {
            tlvs.append(.systemDescription(LLDPText(settings.systemDescription)))
        }
        if advertised.contains(.systemCapabilities) {
            tlvs.append(.systemCapabilities(LLDPSystemCapabilities(supported: .bridge, enabled: .bridge)))
        }
        if advertised.contains(.managementAddress), let address = settings.managementAddress {
            tlvs.append(.managementAddress(LLDPManagementAddress(address: .ipv4(address))))
        }
        if advertised.contains(.portVLANID) { tlvs.append(.organizational(.portVLANID(local.portVLANID))) }
        var names: [LLDPTLV] = []
        if advertised.contains(.vlanName) {
            names = local.vlanNames.map { .organizational(.vlanName(vid: $0.vid, name: LLDPText(String($0.name.prefix(32))))) }
        }
        let dcbx = advertised.contains(.dcbx) ? DCBXOperational.tlvs(local: settings.dcbx, port: local.dcbx) : []
        while true {
            var unit = base
            unit.tlvs = tlvs + names + dcbx
            if let frame = try? unit.frame(source: settings.chassisMAC) { return frame }
            guard !names.isEmpty else { return nil }
            names.removeLast()
        }
    }

    /// The agent a frame belongs to and its LLDPDU (after EtherType 0x88cc, untagged or
    /// inside one tag); nil for anything else.
    static func lldpBody(of frame: UnsafeRawBufferPointer) -> (LLDPAgentKind, UnsafeRawBufferPointer)? {
        guard frame.count >= ParsedFrame.headerLength,
              let agent = LLDPAgentKind(address: MACAddress(loadingFrom: frame, atOffset: 0)) else { return nil }
        var offset = 12
        if frame.loadBigEndianUInt16(at: offset) == EtherType.vlan, frame.count >= 18 { offset += 4 }
        guard frame.loadBigEndianUInt16(at: offset) == EtherType.lldp else { return nil }
        return (agent, UnsafeRawBufferPointer(rebasing: frame[(offset + 2)...]))
    }

    static func unrecognized(in unit: LLDPDU) -> Int {
        unit.tlvs.reduce(0) { count, tlv in
            switch tlv {
            // The EVB TLV travels as an unknown 802.1 TLV (EVBTLV says why) but is known here.
            case .organizational(.unknown(LLDPOrganizationalTLV.ieee8021, EVBTLV.subtype, _)): count
            case .unknown, .organizational(.unknown): count + 1
            default: count
            }
        }
    }

    static func event(_ change: LLDPNeighborTable<LLDPDU>.Change) -> NeighborEvent {
        switch change {
        case .added(let entry): NeighborEvent(kind: .added, port: entry.key.port, agent: entry.key.agent, neighbor: entry.info)
        case .changed(let entry): NeighborEvent(kind: .changed, port: entry.key.port, agent: entry.key.agent, neighbor: entry.info)
        case .removed(let entry, let why):
            NeighborEvent(kind: .removed(why), port: entry.key.port, agent: entry.key.agent, neighbor: entry.info)
        }
    }
}
