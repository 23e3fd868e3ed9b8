import Console
import Frames
import Protocols

/// `show dcbx [port P]`: per port what the switch configures (local), what the peer
/// advertised in its last LLDPDU (ETS Configuration and Recommendation, PFC, Application
/// Priority) and what the port runs with (operational), with where that came from.
struct DCBXReport: ShowReport {
    struct Port: Encodable {
        var port: String
        var willing: Bool
        /// The DCBX TLVs the port sends (`ETS`, `PFC`, `application`); empty when none.
        var advertises: [String]
        /// Why it sends none: `DCBX disabled`, `port shut down`, `LLDP does not transmit`,
        /// `no lldp tlv dcbx`; absent when it sends them.
        var notAdvertisingReason: String?
        /// The nearest-bridge neighbour that speaks DCBX; absent when none does.
        var peer: Peer?
        var ets: Feature<ETSJSON>
        var pfc: Feature<[Int]>
        var applications: Feature<[ApplicationJSON]>
    }

    struct Peer: Encodable {
        var chassisID: String
        var portID: String
        /// Absent when the peer sends no ETS Configuration (or PFC) TLV.
        var etsWilling: Bool?
        var pfcWilling: Bool?
    }

    /// One DCBX feature's values: the switch's, the peer's, and what runs (from `local` or `peer`).
    struct Feature<Value: Encodable>: Encodable {
        var local: Value
        var peer: Value?
        /// ETS only: the peer's ETS Recommendation TLV.
        var peerRecommendation: Value?
        var operational: Value
        var operationalSource: String
    }

    var enabled: Bool
    var ports: [Port]

    /// Wide enough for "    Operational (local)" and a space.
    static let labelWidth = 24

    init(_ sw: VMreadySwitch, ports: [Int]) {
        let (dcbx, lldp, up) = sw.state.withLock { s in (s.dcbx, s.lldp, (1...s.bridge.portCount).map { s.bridge[port: $0].isEnabled }) }
        let neighbors = sw.lldp.snapshot.neighbors.sorted
        let local = dcbx.global
        enabled = local.enabled
        self.ports = ports.map { port in
            let settings = dcbx.ports[port - 1]
            // DCBX is a nearest-bridge protocol; of several neighbours, the first that speaks it.
            let nearest = neighbors.filter { $0.key.port == port && $0.key.agent == .nearestBridge }.map(\.info)
            let unit = nearest.first { !PeerDCBX(unit: $0).isEmpty }
            let operational = DCBXOperational.resolve(local: local, port: settings, localMAC: sw.systemMAC,
                                                      peer: local.enabled ? unit : nil)
            let peer = unit.map(PeerDCBX.init(unit:)) ?? PeerDCBX()
            let (advertises, reason) = Self.advertised(local, settings, portUp: up[port - 1],
                                                       sends: lldp.enabled && lldp.adminStatus[port - 1].transmits,
                                                       tlvAllowed: lldp.advertised[port - 1].contains(.dcbx))
            return Port(port: String(port), willing: settings.willing, advertises: advertises, notAdvertisingReason: reason,
                        peer: unit.map { Peer(chassisID: $0.chassisID.description, portID: $0.portID.description,
                                              etsWilling: peer.configuration?.willing, pfcWilling: peer.pfc?.willing) },
                        ets: Feature(local: ETSJSON(local.etsTables), peer: peer.configuration.map { ETSJSON($0.tables) },
                                     peerRecommendation: peer.recommendation.map(ETSJSON.init), operational: ETSJSON(operational.ets),
                                     operationalSource: "\(operational.etsSource)"),
                        pfc: Feature(local: ETSJSON.priorities(local.pfcBitmap), peer: peer.pfc.map { ETSJSON.priorities($0.enabled) },
                                     operational: ETSJSON.priorities(operational.pfcEnabled), operationalSource: "\(operational.pfcSource)"),
                        applications: Feature(local: local.applications.map(ApplicationJSON.init),
                                              peer: peer.applications.map { $0.entries.map(ApplicationJSON.init) },
                                              operational: operational.applications.map(ApplicationJSON.init),
                                              operationalSource: "\(operational.applicationsSource)"))
        }
    }

    /// What the port sends, or why it sends nothing.
    static func advertised(_ global: DCBXSettings, _ port: DCBXSettings.Port, portUp: Bool, sends: Bool,
                           tlvAllowed: Bool) -> ([String], String?) {
        guard global.enabled else { return ([], "DCBX disabled") }
        guard portUp else { return ([], "port shut down") }
        guard sends else { return ([], "LLDP does not transmit") }
        guard tlvAllowed else { return ([], "no lldp tlv dcbx") }
        var names: [String] = []
        if port.advertiseETS { names.append("ETS") }
        if port.advertisePFC { names.append("PFC") }
        if port.advertiseApplications { names.append("application") }
        return (names, nil)
    }

    var lines: [String] {
        var out = ["DCBX: " + (enabled ? "enabled" : "disabled (no DCBX TLVs are sent; operational values are local)")]
        for p in ports {
            out.append("")
            let advertised = p.notAdvertisingReason.map { "nothing (\($0))" }
                ?? (p.advertises.isEmpty ? "nothing" : p.advertises.joined(separator: ", "))
            out.append("Port \(p.port): " + (p.willing ? "willing" : "not willing") + "; advertises " + advertised)
            out += Self.block(p)
        }
        return out
    }

    static func block(_ p: Port) -> [String] {
        var out: [String] = []
        if let peer = p.peer {
            var willing: [String] = []
            if let ets = peer.etsWilling { willing.append("ETS " + (ets ? "willing" : "not willing")) }
            if let pfc = peer.pfcWilling { willing.append("PFC " + (pfc ? "willing" : "not willing")) }
            out.append("  Peer: \(peer.chassisID) port \(peer.portID)" + (willing.isEmpty ? "" : "; " + willing.joined(separator: ", ")))
        } else {
            out.append("  Peer: none")
        }
        out.append(row("  ETS", pad("Class of priority 0-7", 26) + "Bandwidth % of class 0-7 (sp: strict priority)"))
        out.append(row("    Local", ets(p.ets.local)))
        out.append(row("    Peer configuration", p.ets.peer.map(ets) ?? "none"))
        out.append(row("    Peer recommendation", p.ets.peerRecommendation.map(ets) ?? "none"))
        out.append(row("    Operational (\(p.ets.operationalSource))", ets(p.ets.operational)))
        out.append(row("  PFC", "Priorities"))
        out.append(row("    Local", pfc(p.pfc.local)))
        out.append(row("    Peer", p.pfc.peer.map(pfc) ?? "none"))
        out.append(row("    Operational (\(p.pfc.operationalSource))", pfc(p.pfc.operational)))
        out.append("  Application")
        out += rows("    Local", applications(p.applications.local))
        out += rows("    Peer", p.applications.peer.map(applications) ?? ["none"])
        out += rows("    Operational (\(p.applications.operationalSource))", applications(p.applications.operational))
        return out
    }

    /// Each priority's traffic class, then each class's bandwidth (or its algorithm when
    /// that is not ETS).
    static func ets(_ tables: ETSJSON) -> String {
        let classes = tables.priorityTrafficClass.map { pad(String($0), 3) }.joined()
        let bandwidth = zip(tables.trafficClassBandwidth, tables.trafficClassAlgorithm).map { bandwidth, algorithm in
            let text = switch algorithm {
            case "ets": String(bandwidth)
            case "strict": "sp"
            case "cbs": "cbs"
            default: "vs"
            }
            return pad(text, 4)
        }.joined()
        return classes + "  " + bandwidth
    }

    static func pfc(_ priorities: [Int]) -> String {
        priorities.isEmpty ? "none" : DCBXCommands.priorityText(Set(priorities.map(UInt8.init)))
    }

    static func applications(_ entries: [ApplicationJSON]) -> [String] {
        entries.isEmpty ? ["none"] : entries.map { DCBXCommands.applicationText($0.entry) + " priority \($0.priority)" }
    }

    static func row(_ label: String, _ value: String) -> String { trimmed(pad(label, labelWidth) + value) }

    /// The first value beside the label, the others under it.
    static func rows(_ label: String, _ values: [String]) -> [String] {
        values.enumerated().map { index, value in row(index == 0 ? label : "", value) }
    }

    static func trimmed(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}
