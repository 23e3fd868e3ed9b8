import Console
import Foundation
import Frames
import Protocols
import SwitchTypes

/// `show lldp remote-device detail [port P]`: every neighbour with every TLV it sent,
/// decoded. The TLVs stay the decoded values; text and JSON are two views of them.
struct LLDPRemoteDeviceDetailReport: ShowReport {
    struct Device: Encodable {
        var localPort: String
        var index: Int
        /// `NB`, `NnTB` or `NCB`, and the group address its LLDPDUs went to.
        var agent: String
        var agentAddress: MACAddress
        var timeToLiveSeconds: Int
        var expiresInSeconds: Int
        var chassisID: Identifier
        var portID: Identifier
        var tlvs: [TLV]
    }

    /// A chassis or port ID: its subtype's name and the identifier as text.
    struct Identifier: Encodable {
        var subtype: String
        var id: String
    }

    /// One optional TLV, encoded as `{"type": ..., fields of that type}`.
    struct TLV: Encodable {
        var value: LLDPTLV

        func encode(to encoder: any Encoder) throws {
            try LLDPTLVJSON(value).encode(to: encoder)
        }
    }

    var remoteDevices: [Device]

    init(_ view: LLDPAgent.Snapshot, ports: [Int], now: Timestamp) {
        let wanted = Set(ports)
        remoteDevices = view.neighbors.sorted.filter { wanted.contains($0.key.port) }.map { entry in
            let unit = entry.info
            let left = max(0, (entry.expires.nanoseconds - now.nanoseconds + 999_999_999) / 1_000_000_000)
            return Device(localPort: String(entry.key.port), index: entry.index, agent: entry.key.agent.label,
                          agentAddress: entry.key.agent.address, timeToLiveSeconds: Int(unit.timeToLive), expiresInSeconds: Int(left),
                          chassisID: Identifier(subtype: LLDPReport.subtypeName(unit.chassisID), id: unit.chassisID.description),
                          portID: Identifier(subtype: LLDPReport.subtypeName(unit.portID), id: unit.portID.description),
                          tlvs: unit.tlvs.map(TLV.init))
        }
    }

    var lines: [String] {
        var out: [String] = []
        for d in remoteDevices {
            if !out.isEmpty { out.append("") }
            out += [
                "Local port: \(d.localPort)",
                "  Remote device index: \(d.index)",
                "  Agent:               \(d.agent) (\(d.agentAddress))",
                "  Time to live:        \(d.timeToLiveSeconds) seconds (expires in \(d.expiresInSeconds))",
                "  Chassis ID:          \(d.chassisID.id) (\(d.chassisID.subtype))",
                "  Port ID:             \(d.portID.id) (\(d.portID.subtype))",
            ]
            for tlv in d.tlvs { out += LLDPReport.lines(for: tlv.value).map { "  " + $0 } }
        }
        return out.isEmpty ? ["No remote devices"] : out
    }
}

/// An LLDP TLV's JSON: `type` names it, the other fields are those of that type (the
/// schema lists which). Numbers as numbers, priorities as arrays, opaque octets in hex.
struct LLDPTLVJSON: Encodable {
    var type: String
    var text: String?
    var supported: [String]?
    var enabled: [String]?
    var address: String?
    var interfaceNumbering: String?
    var interfaceNumber: Int?
    var vlan: Int?
    var name: String?
    var willing: Bool?
    var creditBasedShaper: Bool?
    var maxTrafficClasses: Int?
    var ets: ETSJSON?
    var macsecBypassCapability: Bool?
    var capability: Int?
    var priorities: [Int]?
    var applications: [ApplicationJSON]?
    var role: String?
    var sComponent: Bool?
    var channelCapacity: Int?
    var channels: [ChannelJSON]?
    var oui: String?
    var subtype: Int?
    var tlvType: Int?
    var length: Int?
    var octets: String?

    struct ChannelJSON: Encodable {
        var scid: Int
        var svid: Int
    }

    init(type: String) { self.type = type }

    init(_ tlv: LLDPTLV) {
        switch tlv {
        case .portDescription(let text): self.init(type: "portDescription"); self.text = text.description
        case .systemName(let text): self.init(type: "systemName"); self.text = text.description
        case .systemDescription(let text): self.init(type: "systemDescription"); self.text = text.description
        case .systemCapabilities(let caps):
            self.init(type: "systemCapabilities")
            supported = LLDPReport.nameList(caps.supported)
            enabled = LLDPReport.nameList(caps.enabled)
        case .managementAddress(let a):
            self.init(type: "managementAddress")
            address = a.address.description
            interfaceNumbering = LLDPReport.numberingName(a.interfaceNumbering)
            interfaceNumber = Int(a.interfaceNumber)
        case .organizational(let org): self.init(org)
        case .unknown(let type, let value):
            self.init(type: "unknown")
            tlvType = Int(type)
            length = value.count
            octets = LLDPReport.hexAll(value)
        }
    }

    init(_ tlv: LLDPOrganizationalTLV) {
        switch tlv {
        case .portVLANID(let vid): self.init(type: "portVLANID"); vlan = vid == 0 ? nil : Int(vid)
        case .vlanName(let vid, let name): self.init(type: "vlanName"); vlan = Int(vid); self.name = name.description
        case .etsConfiguration(let c):
            self.init(type: "etsConfiguration")
            willing = c.willing
            creditBasedShaper = c.creditBasedShaper
            maxTrafficClasses = Int(c.maxTrafficClasses)
            ets = ETSJSON(c.tables)
        case .etsRecommendation(let tables): self.init(type: "etsRecommendation"); ets = ETSJSON(tables)
        case .pfcConfiguration(let c):
            self.init(type: "pfcConfiguration")
            willing = c.willing
            macsecBypassCapability = c.macsecBypassCapability
            capability = Int(c.capability)
            priorities = ETSJSON.priorities(c.enabled)
        case .applicationPriority(let table): self.init(type: "applicationPriority"); applications = table.entries.map(ApplicationJSON.init)
        case .cdcp(let c):
            self.init(type: "cdcp")
            role = c.role == .station ? "station" : "bridge"
            sComponent = c.sComponent
            channelCapacity = Int(c.channelCapacity)
            channels = c.channels.map { ChannelJSON(scid: Int($0.scid), svid: Int($0.svid)) }
        case .unknown(let oui, let subtype, let value):
            self.init(type: "organizational")
            self.oui = LLDPReport.ouiText(oui).replacingOccurrences(of: "-", with: ":")
            self.subtype = Int(subtype)
            length = value.count
            octets = LLDPReport.hexAll(value)
        }
    }
}
