import Frames
import Synchronization
import SwitchTypes

/// 802.1Qbg's bridge side on every port with EVB: it reads the station's EVB TLV from the
/// nearest-customer-bridge LLDPDUs (the LLDP agent sends ours), runs ECP on EtherType
/// 0x8940 and VDP over it, and tells the switch what happened to the VSIs.
///
/// Runs on the control-plane loop. The switch hands it settings and the VSI type database
/// from any thread (`configure`, `setTypes`), reads `snapshot` without waiting for the loop,
/// and gets VDP's events through `setObserver`.
public final class EVBAgent: ProtocolAgent, Sendable {
    public let name = "evb"
    /// LLDPDUs to the nearest customer bridge (the station's EVB TLV; the LLDP agent takes
    /// them too) and ECP.
    public let interest = FrameInterest(destinations: [.lldpNearestCustomerBridge], etherTypes: [EtherType.ecp])

    /// One port, as `show virt evb`, `show virt vsi` and `show ecp` read it.
    public struct PortSnapshot: Sendable {
        /// The station's last EVB TLV (nil: none heard since the port came up).
        public var station: EVBTLV?
        public var operational: EVBOperational
        public var vsis: [VSI]
        public var ecp: ECPPort.Counters
        public var vdp: VDPBridgePort.Counters
    }

    public struct Snapshot: Sendable {
        public var settings: EVBSettings
        /// Ports with EVB.
        public var ports: [Int: PortSnapshot]
    }

    /// A VDP event on a port (the VSI carries its port).
    public typealias Observer = @Sendable (VDPEvent) -> Void

    private struct PortState {
        var station: EVBTLV?
        var ecp: ECPPort
        var vdp: VDPBridgePort
    }

    /// State only the loop touches (inside `ProtocolAgent` calls).
    private struct Running {
        var settings: EVBSettings
        var types: any VSITypeDatabase
        var ports: [Int: PortState] = [:]
    }

    private let running: Mutex<Running>
    private let pendingSettings = Mutex<EVBSettings?>(nil)
    private let pendingTypes = Mutex<(any VSITypeDatabase)?>(nil)
    private let published: Mutex<Snapshot>
    private let observer = Mutex<Observer?>(nil)
    private let dirty = Atomic<Bool>(false)

    public init(settings: EVBSettings, types: any VSITypeDatabase) {
        running = Mutex(Running(settings: EVBSettings(sourceMAC: settings.sourceMAC, portCount: 0), types: types))
        published = Mutex(Snapshot(settings: settings, ports: [:]))
        pendingSettings.withLock { $0 = settings }
    }

    // MARK: From the switch (any thread)

    /// New settings, applied on the loop's next step (the caller wakes the loop).
    public func configure(_ settings: EVBSettings) { pendingSettings.withLock { $0 = settings } }

    /// A new VSI type database (the local one changed, or the data-centre one took over).
    /// VSIs already held keep what their type gave them until their next request.
    public func setTypes(_ types: any VSITypeDatabase) { pendingTypes.withLock { $0 = types } }

    /// Told of every VSI event, on the loop's thread: must only hand off.
    public func setObserver(_ body: Observer?) { observer.withLock { $0 = body } }

    /// What the agent knew after its last step.
    public var snapshot: Snapshot { published.withLock { $0 } }

    // MARK: ProtocolAgent (the loop's thread)

    public var nextDeadline: Timestamp? {
        if dirty.exchange(false, ordering: .acquiringAndReleasing) { publish() }
        if pendingSettings.withLock({ $0 != nil }) || pendingTypes.withLock({ $0 != nil }) { return Timestamp(nanoseconds: 0) }
        return running.withLock { state in
            state.ports.values.flatMap { [$0.ecp.nextDeadline, $0.vdp.nextDeadline] }.compactMap { $0 }.min()
        }
    }

    public func receive(_ frame: UnsafeRawBufferPointer, port: Int, at time: Timestamp) -> [OutboundFrame] {
        var events = applyPending()
        let out = running.withLock { state -> [OutboundFrame] in
            guard var local = state.ports[port], state.settings.ports.indices.contains(port - 1),
                  let settings = state.settings.ports[port - 1], frame.count >= 14 else { return [] }
            defer { state.ports[port] = local }
            var offset = 12
            var type = frame.loadBigEndianUInt16(at: offset)
            if (type == EtherType.vlan || type == EtherType.serviceVLAN) && frame.count >= 18 {
                offset += 4
                type = frame.loadBigEndianUInt16(at: offset)
            }
            if type == EtherType.lldp {
                heard(UnsafeRawBufferPointer(rebasing: frame[(offset + 2)...]), on: &local, settings: settings)
                return []
            }
            // Another protocol's frame to the same address (a BPDU, say) is not ECP's to count.
            guard type == EtherType.ecp, let pdu = local.ecp.decode(frame) else { return [] }
            let reception = local.ecp.receive(pdu, at: time)
            var sent = reception.out
            if let payload = reception.delivered, settings.vsiDiscovery {
                let outcome = local.vdp.receive(payload, at: time, types: state.types)
                events += outcome.events
                for response in outcome.responses { sent += local.ecp.send(response, at: time) }
            }
            let source = state.settings.sourceMAC
            return sent.map { OutboundFrame(port: port, bytes: $0.frame(source: source)) }
        }
        finish(events)
        return out
    }

    public func run(at now: Timestamp) -> [OutboundFrame] {
        var events = applyPending()
        let out = running.withLock { state -> [OutboundFrame] in
            var out: [OutboundFrame] = []
            let source = state.settings.sourceMAC
            for port in state.ports.keys.sorted() {
                guard var local = state.ports[port] else { continue }
                out += local.ecp.run(at: now).map { OutboundFrame(port: port, bytes: $0.frame(source: source)) }
                events += local.vdp.expire(at: now)
                state.ports[port] = local
            }
            return out
        }
        finish(events)
        return out
    }

    // MARK: Internals

    /// A nearest-customer-bridge LLDPDU on an EVB port: the station's EVB TLV, which sets
    /// the values ECP and VDP run with. A shutdown LLDPDU (TTL 0) takes it back.
    private func heard(_ body: UnsafeRawBufferPointer, on local: inout PortState, settings: EVBSettings.Port) {
        guard let unit = try? LLDPDU(decoding: body) else { return }
        let station = unit.timeToLive == 0 ? nil : EVBTLV.first(in: unit.tlvs).flatMap { $0.mode == .station ? $0 : nil }
        guard station != local.station else { return }
        local.station = station
        Self.apply(EVBNegotiation.operational(bridge: settings.bridge, station: station), to: &local)
    }

    private static func apply(_ operational: EVBOperational, to local: inout PortState) {
        local.ecp.retries = operational.retries
        local.ecp.retransmitExponent = operational.retransmitExponent
        local.vdp.keepAliveTimeout = operational.keepAliveTimeout
    }

    /// Adopts settings and types handed over: starts EVB on ports that gained it, and forgets
    /// the station, ECP state and VSIs of ports that lost it or went down.
    private func applyPending() -> [VDPEvent] {
        let settings = pendingSettings.withLock { $0.take() }
        let types = pendingTypes.withLock { $0.take() }
        guard settings != nil || types != nil else { return [] }
        return running.withLock { state in
            if let types { state.types = types }
            guard let settings else { return [] }
            state.settings = settings
            var events: [VDPEvent] = []
            for port in state.ports.keys.sorted() {
                let index = port - 1
                guard settings.ports.indices.contains(index), let wanted = settings.ports[index], wanted.isUp else {
                    events += state.ports[port]?.vdp.removeAll() ?? []
                    state.ports[port] = nil
                    continue
                }
                state.ports[port]?.vdp.maxVSIs = wanted.maxVSIs
                state.ports[port]?.vdp.allowedVLANs = wanted.allowedVLANs
                if var local = state.ports[port] {
                    Self.apply(EVBNegotiation.operational(bridge: wanted.bridge, station: local.station), to: &local)
                    state.ports[port] = local
                }
            }
            for (index, wanted) in settings.ports.enumerated() where state.ports[index + 1] == nil {
                guard let wanted, wanted.isUp else { continue }
                let operational = EVBNegotiation.operational(bridge: wanted.bridge, station: nil)
                state.ports[index + 1] = PortState(
                    station: nil, ecp: ECPPort(retries: operational.retries, retransmitExponent: operational.retransmitExponent),
                    vdp: VDPBridgePort(port: index + 1, maxVSIs: wanted.maxVSIs, allowedVLANs: wanted.allowedVLANs,
                                       keepAliveTimeout: operational.keepAliveTimeout))
            }
            return events
        }
    }

    /// Marks the snapshot stale and tells the observer.
    private func finish(_ events: [VDPEvent]) {
        dirty.store(true, ordering: .releasing)
        guard !events.isEmpty, let observer = observer.withLock({ $0 }) else { return }
        for event in events { observer(event) }
    }

    private func publish() {
        let snapshot = running.withLock { state in
            var ports: [Int: PortSnapshot] = [:]
            for (port, local) in state.ports {
                guard state.settings.ports.indices.contains(port - 1), let settings = state.settings.ports[port - 1] else { continue }
                ports[port] = PortSnapshot(
                    station: local.station,
                    operational: EVBNegotiation.operational(bridge: settings.bridge, station: local.station),
                    vsis: local.vdp.vsis.values.sorted { ($0.managerID.octets + $0.id.octets).lexicographicallyPrecedes($1.managerID.octets + $1.id.octets) },
                    ecp: local.ecp.counters, vdp: local.vdp.counters)
            }
            return Snapshot(settings: state.settings, ports: ports)
        }
        published.withLock { $0 = snapshot }
    }
}
