import Frames
import Protocols
import SwitchTypes

extension VMreadySwitch {
    /// What LLDP knows, after the frames punted so far were handled.
    func lldpView() -> LLDPAgent.Snapshot {
        settle()
        return lldp.snapshot
    }
}

/// The text of the `show lldp ...` commands (layouts after IBM ENOS).
enum LLDPReport {
    static func global(_ view: LLDPAgent.Snapshot) -> [String] {
        let s = view.settings
        let neighbors = view.neighbors
        return [
            "LLDP Global Information",
            "  LLDP status:                   " + (s.enabled ? "enabled" : "disabled"),
            "  Message transmission interval: \(s.refreshInterval) seconds",
            "  Hold time multiplier:          \(s.holdtimeMultiplier) (TTL \(s.timeToLive) seconds)",
            "  Reinitialisation delay:        \(s.reinitDelay) seconds",
            "  Chassis ID:                    \(s.chassisMAC) (MAC address)",
            "  System name:                   " + s.systemName,
            "  System description:            " + s.systemDescription,
            "  Management address:            " + (s.managementAddress.map { $0.description } ?? "none"),
            "  Remote devices:                \(neighbors.entries.count) (at most \(neighbors.perPortLimit) per port, "
                + "\(neighbors.totalLimit) in all)",
            "",
        ] + ports(view, ports: Array(1...s.ports.count))
    }

    /// `show lldp port`: each port's admin and operational status and its counters.
    static func ports(_ view: LLDPAgent.Snapshot, ports: [Int]) -> [String] {
        let counts = Dictionary(grouping: view.neighbors.entries.keys, by: \.port).mapValues(\.count)
        var out = ["Port  Admin status  Link  Remote devices  Frames out   Frames in",
                   "----  ------------  ----  --------------  ----------  ----------"]
        for port in ports {
            let p = view.settings.ports[port - 1]
            let c = view.counters[port] ?? LLDPAgent.Counters()
            out.append(pad(String(port), 4) + "  " + pad(p.adminStatus.rawValue, 12) + "  " + pad(p.isUp ? "up" : "down", 4)
                + "  " + padLeft(String(counts[port] ?? 0), 14) + "  " + padLeft(String(c.framesOut), 10) + "  "
                + padLeft(String(c.framesIn), 10))
        }
        return out
    }

    /// `show lldp remote-device`: one line per neighbour.
    static func neighbors(_ view: LLDPAgent.Snapshot, ports: [Int]) -> [String] {
        let wanted = Set(ports)
        var out = ["LocalPort | Index | Remote Chassis ID    | Remote Port          | Remote System Name            | DMAC",
                   "----------|-------|----------------------|----------------------|-------------------------------|-----"]
        for entry in view.neighbors.sorted where wanted.contains(entry.key.port) {
            let unit = entry.info
            out.append(pad(String(entry.key.port), 9) + " | " + pad(String(entry.index), 5) + " | "
                + pad(clip(unit.chassisID.description, 20), 20) + " | " + pad(clip(unit.portID.description, 20), 20) + " | "
                + pad(clip(unit.systemName?.description ?? "", 29), 29) + " | " + entry.key.agent.label)
        }
        return out
    }

    /// `show lldp statistics`: 802.1AB's counters per port.
    static func statistics(_ view: LLDPAgent.Snapshot, ports: [Int]) -> [String] {
        var out = ["Port  Frames out   Frames in   Discarded     Ignored  TLVs unrecognised     Inserts     Deletes"
                    + "  Table full    Aged out",
                   "----  ----------  ----------  ----------  ----------  -----------------  ----------  ----------"
                    + "  ----------  ----------"]
        for port in ports {
            let c = view.counters[port] ?? LLDPAgent.Counters()
            let t = view.neighbors.counters[port] ?? LLDPNeighborTable<LLDPDU>.Counters()
            let cells = [c.framesOut, c.framesIn, c.framesDiscarded, c.framesIgnored].map { padLeft(String($0), 10) }
                + [padLeft(String(c.tlvsUnrecognized), 17)]
                + [t.inserts, t.deletes, t.drops, t.ageouts].map { padLeft(String($0), 10) }
            out.append(pad(String(port), 4) + "  " + cells.joined(separator: "  "))
        }
        return out
    }

    /// `show lldp remote-device detail`: every TLV of every neighbour, decoded.
    static func details(_ view: LLDPAgent.Snapshot, ports: [Int], now: Timestamp) -> [String] {
        let wanted = Set(ports)
        var out: [String] = []
        for entry in view.neighbors.sorted where wanted.contains(entry.key.port) {
            let unit = entry.info
            let left = max(0, (entry.expires.nanoseconds - now.nanoseconds + 999_999_999) / 1_000_000_000)
            if !out.isEmpty { out.append("") }
            out += [
                "Local port: \(entry.key.port)",
                "  Remote device index: \(entry.index)",
                "  Agent:               \(entry.key.agent.label) (\(entry.key.agent.address))",
                "  Time to live:        \(unit.timeToLive) seconds (expires in \(left))",
                "  Chassis ID:          \(unit.chassisID) (\(subtypeName(unit.chassisID)))",
                "  Port ID:             \(unit.portID) (\(subtypeName(unit.portID)))",
            ]
            for tlv in unit.tlvs { out += lines(for: tlv).map { "  " + $0 } }
        }
        return out.isEmpty ? ["No remote devices"] : out
    }

    static func lines(for tlv: LLDPTLV) -> [String] {
        switch tlv {
        case .portDescription(let text): return ["Port description:    \(text)"]
        case .systemName(let text): return ["System name:         \(text)"]
        case .systemDescription(let text): return ["System description:  \(text)"]
        case .systemCapabilities(let caps):
            return ["Capabilities:        \(names(caps.supported)) (enabled: \(names(caps.enabled)))"]
        case .managementAddress(let address):
            let numbering = ["unknown", "ifIndex", "system port number"]
            let kind = (1...3).contains(address.interfaceNumbering) ? numbering[Int(address.interfaceNumbering) - 1] : "subtype \(address.interfaceNumbering)"
            return ["Management address:  \(address.address) (interface \(kind) \(address.interfaceNumber))"]
        case .organizational(let org): return lines(for: org)
        case .unknown(let type, let value): return ["Unknown TLV:         type \(type), \(value.count) octets: \(hex(value))"]
        }
    }

    static func lines(for tlv: LLDPOrganizationalTLV) -> [String] {
        switch tlv {
        case .portVLANID(let vid): return ["Port VLAN ID:        " + (vid == 0 ? "none" : String(vid))]
        case .vlanName(let vid, let name): return ["VLAN name:           \(vid) \(name)"]
        case .etsConfiguration(let ets):
            return ["DCBX ETS configuration: willing \(yes(ets.willing)), CBS \(yes(ets.creditBasedShaper)), "
                    + "max traffic classes \(ets.maxTrafficClasses)"] + tables(ets.tables)
        case .etsRecommendation(let tables): return ["DCBX ETS recommendation:"] + self.tables(tables)
        case .pfcConfiguration(let pfc):
            return ["DCBX PFC configuration: willing \(yes(pfc.willing)), MBC \(yes(pfc.macsecBypassCapability)), "
                    + "capability \(pfc.capability), enabled on priorities \(priorities(pfc.enabled))"]
        case .applicationPriority(let table):
            return ["DCBX application priority:"] + table.entries.map { "  \(DCBXCommands.applicationText($0)) priority \($0.priority)" }
        case .cdcp(let cdcp):
            let channels = cdcp.channels.map { "SCID \($0.scid) S-VID \($0.svid)" }.joined(separator: ", ")
            return ["CDCP:                \(cdcp.role == .station ? "station" : "bridge"), S-component \(yes(cdcp.sComponent)), "
                    + "capacity \(cdcp.channelCapacity) channels" + (channels.isEmpty ? "" : ": " + channels)]
        case .unknown(let oui, let subtype, let value):
            return ["Organizational TLV:  OUI \(ouiText(oui)) subtype \(subtype), \(value.count) octets: \(hex(value))"]
        }
    }

    static func tables(_ t: ETSTables) -> [String] {
        ["  Priority to traffic class: " + t.priorityTrafficClass.map(String.init).joined(separator: " "),
         "  Bandwidth % per class:     " + t.trafficClassBandwidth.map(String.init).joined(separator: " "),
         "  Algorithm per class:       " + t.trafficClassAlgorithm.map(algorithm).joined(separator: " ")]
    }

    static func algorithm(_ value: UInt8) -> String {
        switch value {
        case TransmissionSelection.strictPriority: "strict"
        case TransmissionSelection.creditBasedShaper: "cbs"
        case TransmissionSelection.enhancedTransmissionSelection: "ets"
        case TransmissionSelection.vendorSpecific: "vendor"
        default: String(value)
        }
    }

    /// `3,4` for a priority bitmap, `none` when empty.
    static func priorities(_ bitmap: UInt8) -> String {
        let list = (0..<8).filter { bitmap & (1 << $0) != 0 }.map(String.init)
        return list.isEmpty ? "none" : list.joined(separator: ",")
    }

    static func names(_ caps: LLDPSystemCapabilities.Capabilities) -> String {
        let all: [(LLDPSystemCapabilities.Capabilities, String)] = [
            (.other, "other"), (.repeater, "repeater"), (.bridge, "bridge"), (.wlanAccessPoint, "wlan-ap"), (.router, "router"),
            (.telephone, "telephone"), (.docsisCableDevice, "docsis"), (.stationOnly, "station"),
            (.customerVLANComponent, "c-vlan"), (.serviceVLANComponent, "s-vlan"), (.twoPortMACRelay, "tpmr"),
        ]
        let list = all.filter { caps.contains($0.0) }.map(\.1)
        return list.isEmpty ? "none" : list.joined(separator: ",")
    }

    static func subtypeName(_ id: LLDPChassisID) -> String {
        switch id {
        case .chassisComponent: "chassis component"
        case .interfaceAlias: "interface alias"
        case .portComponent: "port component"
        case .macAddress: "MAC address"
        case .networkAddress: "network address"
        case .interfaceName: "interface name"
        case .local: "locally assigned"
        case .reserved(let subtype, _): "reserved subtype \(subtype)"
        }
    }

    static func subtypeName(_ id: LLDPPortID) -> String {
        switch id {
        case .interfaceAlias: "interface alias"
        case .portComponent: "port component"
        case .macAddress: "MAC address"
        case .networkAddress: "network address"
        case .interfaceName: "interface name"
        case .agentCircuitID: "agent circuit ID"
        case .local: "locally assigned"
        case .reserved(let subtype, _): "reserved subtype \(subtype)"
        }
    }

    static func yes(_ flag: Bool) -> String { flag ? "yes" : "no" }

    /// At most the first 32 octets, then how many more: a 507-octet TLV stays on one line.
    static func hex(_ octets: [UInt8]) -> String {
        let shown = octets.prefix(32).map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        return octets.count > 32 ? shown + "... (\(octets.count - 32) more)" : shown
    }

    static func ouiText(_ oui: UInt32) -> String {
        [oui >> 16, oui >> 8, oui].map { value in
            let byte = UInt8(truncatingIfNeeded: value)
            return byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined(separator: "-")
    }

    /// A value cut to its column, marked `...` when cut.
    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 3)) + "..."
    }
}
