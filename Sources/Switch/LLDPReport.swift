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

/// How `show lldp remote-device detail` words each TLV, and the helpers the LLDP reports
/// share (layouts after IBM ENOS).
enum LLDPReport {
    static func lines(for tlv: LLDPTLV) -> [String] {
        switch tlv {
        case .portDescription(let text): return ["Port description:    \(text)"]
        case .systemName(let text): return ["System name:         \(text)"]
        case .systemDescription(let text): return ["System description:  \(text)"]
        case .systemCapabilities(let caps):
            return ["Capabilities:        \(names(caps.supported)) (enabled: \(names(caps.enabled)))"]
        case .managementAddress(let address):
            return ["Management address:  \(address.address) (interface \(numberingName(address.interfaceNumbering)) "
                    + "\(address.interfaceNumber))"]
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

    /// How a management address's interface number counts (802.1AB Table 8-5).
    static func numberingName(_ subtype: UInt8) -> String {
        let numbering = ["unknown", "ifIndex", "system port number"]
        return (1...3).contains(subtype) ? numbering[Int(subtype) - 1] : "subtype \(subtype)"
    }

    static func names(_ caps: LLDPSystemCapabilities.Capabilities) -> String {
        let list = nameList(caps)
        return list.isEmpty ? "none" : list.joined(separator: ",")
    }

    static func nameList(_ caps: LLDPSystemCapabilities.Capabilities) -> [String] {
        let all: [(LLDPSystemCapabilities.Capabilities, String)] = [
            (.other, "other"), (.repeater, "repeater"), (.bridge, "bridge"), (.wlanAccessPoint, "wlan-ap"), (.router, "router"),
            (.telephone, "telephone"), (.docsisCableDevice, "docsis"), (.stationOnly, "station"),
            (.customerVLANComponent, "c-vlan"), (.serviceVLANComponent, "s-vlan"), (.twoPortMACRelay, "tpmr"),
        ]
        return all.filter { caps.contains($0.0) }.map(\.1)
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

    /// Every octet in hex, for JSON (a TLV is at most 511 octets).
    static func hexAll(_ octets: [UInt8]) -> String {
        octets.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
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
