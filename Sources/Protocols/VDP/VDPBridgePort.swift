import Frames
import SwitchTypes

/// The bridge side of VDP (IEEE 802.1Qbg-2012 clause 41, "vdp22") on one port, pure: the
/// station's VDPDUs in, the responses and what happened to its VSIs out.
///
/// Every request gets one response, sent as its own VDPDU: the Manager ID first, once, then
/// the VSI TLV echoed at exactly the station's lengths (type ID/version, VSI ID format and
/// value, filter format and entries) with status 0x40 on success — what lldpad checks before
/// it accepts an answer (interop.md). A VID of 0 comes back filled from the type's VLAN.
/// Failures answer the same echo with an error code, and change nothing.
public struct VDPBridgePort: Sendable {
    public struct Counters: Hashable, Sendable {
        public var requests = 0
        public var accepted = 0
        public var rejected = 0
        /// VDPDUs that did not decode, or a VSI TLV with no Manager ID before it: dropped unanswered.
        public var malformed = 0
        public var timedOut = 0

        public init() {}
    }

    /// The port, carried into events.
    public let port: Int
    /// VSIs the port holds at most (`insufficient resources` beyond).
    public var maxVSIs: Int
    /// The VLANs the port may carry (nil: any): a VSI on another is refused.
    public var allowedVLANs: Set<UInt16>?
    /// How long a VSI lives without a refresh, nanoseconds (`EVBOperational.keepAliveTimeout`).
    public var keepAliveTimeout: Int64

    public private(set) var vsis: [VSI.Key: VSI] = [:]
    public private(set) var counters = Counters()

    public init(port: Int, maxVSIs: Int = 256, allowedVLANs: Set<UInt16>? = nil,
                keepAliveTimeout: Int64 = EVBNegotiation.operational(bridge: EVBBridgeSettings(), station: nil).keepAliveTimeout) {
        self.port = port
        self.maxVSIs = maxVSIs
        self.allowedVLANs = allowedVLANs
        self.keepAliveTimeout = keepAliveTimeout
    }

    /// What one VDPDU produced.
    public struct Outcome: Sendable {
        /// One VDPDU per VSI request answered, in order (each to go out as its own ECP request).
        public var responses: [[UInt8]] = []
        public var events: [VDPEvent] = []
    }

    /// A VDPDU the station sent (an ECP request's payload, delivered once).
    public mutating func receive(_ payload: [UInt8], at now: Timestamp, types: some VSITypeDatabase) -> Outcome {
        var outcome = Outcome()
        guard let unit = try? VDPDU(decoding: payload) else {
            counters.malformed += 1
            return outcome
        }
        var manager: VDPIdentifier?
        for tlv in unit.tlvs {
            switch tlv {
            case .managerID(let id): manager = id
            case .organizational: continue
            case .vsi(let request):
                guard let manager, !request.status.isResponse else {
                    counters.malformed += 1
                    continue
                }
                counters.requests += 1
                let (response, event) = handle(request, manager: manager, at: now, types: types)
                if response.status.error == .success { counters.accepted += 1 } else { counters.rejected += 1 }
                if let event { outcome.events.append(event) }
                if let bytes = try? VDPDU(tlvs: [.managerID(manager), .vsi(response)]).encode() { outcome.responses.append(bytes) }
            }
        }
        return outcome
    }

    /// One request: the response TLV and, when a VSI changed, its event.
    mutating func handle(_ request: VSITLV, manager: VDPIdentifier, at now: Timestamp,
                         types: some VSITypeDatabase) -> (VSITLV, VDPEvent?) {
        let key = VSI.Key(managerID: manager, id: request.id)
        let existing = vsis[key]
        var response = request
        func refuse(_ error: VSITLV.ErrorCode, hard: Bool = false) -> (VSITLV, VDPEvent?) {
            // Keep: the VSI stays as it was (the station may go on using its earlier state).
            response.status = .response(error, hard: hard, keep: existing != nil)
            return (response, nil)
        }
        if request.request == .deAssociate {
            response.status = .response()
            guard let removed = vsis.removeValue(forKey: key) else { return (response, nil) }
            return (response, VDPEvent(kind: .deAssociated, vsi: removed))
        }
        guard request.idFormat == VSITLV.uuidFormat, !request.filters.isEmpty else { return refuse(.invalidFormat, hard: true) }
        // A type the VSI manager does not define is not one of 802.1Qbg's named causes (the
        // request was well formed, the manager answered, the VID/MAC were not the problem).
        guard let type = types.lookup(typeID: request.typeID, version: request.typeVersion) else {
            return refuse(.otherFailure, hard: true)
        }
        for index in response.filters.indices {
            var filter = response.filters[index]
            if filter.vid == 0 {
                guard let vlan = type.vlan else { return refuse(.invalidVIDGroupOrMAC, hard: true) }
                filter.vid = vlan
            } else if let vlan = type.vlan, vlan != filter.vid {
                return refuse(.invalidVIDGroupOrMAC, hard: true)
            }
            if let allowedVLANs, !allowedVLANs.contains(filter.vid) { return refuse(.invalidVIDGroupOrMAC, hard: true) }
            if (request.filterFormat == .macVID || request.filterFormat == .groupMACVID)
                && (filter.mac.isMulticast || filter.mac == .zero) {
                return refuse(.invalidVIDGroupOrMAC, hard: true)
            }
            response.filters[index] = filter
        }
        if existing == nil && vsis.count >= maxVSIs { return refuse(.insufficientResources) }
        let state: VSI.State = switch request.request {
        case .preAssociate: .preAssociated
        case .preAssociateWithReservation: .preAssociatedWithReservation
        default: .associated
        }
        let vsi = VSI(port: port, state: state, managerID: manager, id: request.id, idFormat: request.idFormat,
                      typeID: request.typeID, typeVersion: request.typeVersion, type: type,
                      filterFormat: request.filterFormat, filters: response.filters, lastRefresh: now)
        vsis[key] = vsi
        response.status = .response()
        // A keep-alive (the same request again) refreshes silently; anything else is news.
        if let existing, existing.state == vsi.state, existing.filters == vsi.filters, existing.type == vsi.type,
           existing.typeID == vsi.typeID, existing.typeVersion == vsi.typeVersion {
            return (response, nil)
        }
        let kind: VDPEvent.Kind = switch state {
        case .preAssociated: .preAssociated
        case .preAssociatedWithReservation: .preAssociatedWithReservation
        case .associated: .associated
        }
        return (response, VDPEvent(kind: kind, vsi: vsi))
    }

    /// When the oldest VSI times out.
    public var nextDeadline: Timestamp? {
        vsis.values.map(\.lastRefresh.nanoseconds).min().map { Timestamp(nanoseconds: $0 + keepAliveTimeout) }
    }

    /// De-associates every VSI not refreshed within the keep-alive timeout.
    public mutating func expire(at now: Timestamp) -> [VDPEvent] {
        let stale = vsis.values.filter { now.nanoseconds >= $0.lastRefresh.nanoseconds + keepAliveTimeout }
        var events: [VDPEvent] = []
        for vsi in stale.sorted(by: { $0.lastRefresh < $1.lastRefresh }) {
            vsis[vsi.key] = nil
            counters.timedOut += 1
            events.append(VDPEvent(kind: .timedOut, vsi: vsi))
        }
        return events
    }

    /// Forgets every VSI (link down, VDP turned off on the port).
    public mutating func removeAll() -> [VDPEvent] {
        let events = vsis.values.sorted { $0.lastRefresh < $1.lastRefresh }.map { VDPEvent(kind: .removed, vsi: $0) }
        vsis = [:]
        return events
    }

    public mutating func clearCounters() { counters = Counters() }
}
