import Frames
import Protocols

/// `show dcbx [port P]`: per port what the switch configures (local), what the peer
/// advertised in its last LLDPDU (ETS Configuration and Recommendation, PFC, Application
/// Priority) and what the port runs with (operational), with where that came from.
enum DCBXReport {
    /// Wide enough for "    Operational (local)" and a space.
    static let labelWidth = 24

    static func lines(_ sw: VMreadySwitch, ports: [Int]) -> [String] {
        let (dcbx, lldp, enabled) = sw.state.withLock { s in (s.dcbx, s.lldp, (1...s.bridge.portCount).map { s.bridge[port: $0].isEnabled }) }
        let neighbors = sw.lldp.snapshot.neighbors.sorted
        var out = ["DCBX: " + (dcbx.global.enabled ? "enabled" : "disabled (no DCBX TLVs are sent; operational values are local)")]
        for port in ports {
            let settings = dcbx.ports[port - 1]
            // DCBX is a nearest-bridge protocol; of several neighbours, the first that speaks it.
            let nearest = neighbors.filter { $0.key.port == port && $0.key.agent == .nearestBridge }.map(\.info)
            let peer = nearest.first { !PeerDCBX(unit: $0).isEmpty }
            let operational = DCBXOperational.resolve(local: dcbx.global, port: settings, localMAC: sw.systemMAC,
                                                      peer: dcbx.global.enabled ? peer : nil)
            out.append("")
            out.append("Port \(port): " + (settings.willing ? "willing" : "not willing") + "; advertises "
                       + advertised(dcbx.global, settings, portUp: enabled[port - 1],
                                    sends: lldp.enabled && lldp.adminStatus[port - 1].transmits,
                                    tlvAllowed: lldp.advertised[port - 1].contains(.dcbx)))
            out += block(local: dcbx.global, port: settings, peer: peer, operational: operational)
        }
        return out
    }

    /// What the port sends, or why it sends nothing.
    static func advertised(_ global: DCBXSettings, _ port: DCBXSettings.Port, portUp: Bool, sends: Bool,
                           tlvAllowed: Bool) -> String {
        guard global.enabled else { return "nothing (DCBX disabled)" }
        guard portUp else { return "nothing (port shut down)" }
        guard sends else { return "nothing (LLDP does not transmit)" }
        guard tlvAllowed else { return "nothing (no lldp tlv dcbx)" }
        var names: [String] = []
        if port.advertiseETS { names.append("ETS") }
        if port.advertisePFC { names.append("PFC") }
        if port.advertiseApplications { names.append("application") }
        return names.isEmpty ? "nothing" : names.joined(separator: ", ")
    }

    static func block(local: DCBXSettings, port: DCBXSettings.Port, peer unit: LLDPDU?,
                      operational: DCBXOperational) -> [String] {
        let peer = unit.map(PeerDCBX.init(unit:)) ?? PeerDCBX()
        var out: [String] = []
        if let unit {
            var willing: [String] = []
            if let ets = peer.configuration { willing.append("ETS " + (ets.willing ? "willing" : "not willing")) }
            if let pfc = peer.pfc { willing.append("PFC " + (pfc.willing ? "willing" : "not willing")) }
            out.append("  Peer: \(unit.chassisID) port \(unit.portID)" + (willing.isEmpty ? "" : "; " + willing.joined(separator: ", ")))
        } else {
            out.append("  Peer: none")
        }
        out.append(row("  ETS", pad("Class of priority 0-7", 26) + "Bandwidth % of class 0-7 (sp: strict priority)"))
        out.append(row("    Local", ets(local.etsTables)))
        out.append(row("    Peer configuration", peer.configuration.map { ets($0.tables) } ?? "none"))
        out.append(row("    Peer recommendation", peer.recommendation.map(ets) ?? "none"))
        out.append(row("    Operational (\(operational.etsSource))", ets(operational.ets)))
        out.append(row("  PFC", "Priorities"))
        out.append(row("    Local", pfc(local.pfcBitmap)))
        out.append(row("    Peer", peer.pfc.map { pfc($0.enabled) } ?? "none"))
        out.append(row("    Operational (\(operational.pfcSource))", pfc(operational.pfcEnabled)))
        out.append("  Application")
        out += rows("    Local", applications(local.applications))
        out += rows("    Peer", peer.applications.map { applications($0.entries) } ?? ["none"])
        out += rows("    Operational (\(operational.applicationsSource))", applications(operational.applications))
        return out
    }

    /// Each priority's traffic class, then each class's bandwidth (or its algorithm when
    /// that is not ETS).
    static func ets(_ tables: ETSTables) -> String {
        let classes = tables.priorityTrafficClass.map { pad(String($0), 3) }.joined()
        let bandwidth = zip(tables.trafficClassBandwidth, tables.trafficClassAlgorithm).map { bandwidth, algorithm in
            let text = switch algorithm {
            case TransmissionSelection.enhancedTransmissionSelection: String(bandwidth)
            case TransmissionSelection.strictPriority: "sp"
            case TransmissionSelection.creditBasedShaper: "cbs"
            default: "vs"
            }
            return pad(text, 4)
        }.joined()
        return classes + "  " + bandwidth
    }

    static func pfc(_ bitmap: UInt8) -> String {
        let priorities = Set((0..<8).filter { bitmap & 1 << $0 != 0 }.map(UInt8.init))
        return priorities.isEmpty ? "none" : DCBXCommands.priorityText(priorities)
    }

    static func applications(_ entries: [ApplicationPriorityEntry]) -> [String] {
        entries.isEmpty ? ["none"] : entries.map { DCBXCommands.applicationText($0) + " priority \($0.priority)" }
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

/// The DCBX TLVs of a peer's LLDPDU (the last of each kind, should it repeat one).
struct PeerDCBX {
    var configuration: ETSConfiguration?
    var recommendation: ETSTables?
    var pfc: PFCConfiguration?
    var applications: ApplicationPriority?

    init() {}

    init(unit: LLDPDU) {
        for case .organizational(let tlv) in unit.tlvs {
            switch tlv {
            case .etsConfiguration(let value): configuration = value
            case .etsRecommendation(let value): recommendation = value
            case .pfcConfiguration(let value): pfc = value
            case .applicationPriority(let value): applications = value
            default: continue
            }
        }
    }

    var isEmpty: Bool { configuration == nil && recommendation == nil && pfc == nil && applications == nil }
}
