import CommandEngine
import Console
import Frames
import Protocols
import RunningConfig

/// LLDP's settings (`lldp ...`, `system management-address`, interface `lldp ...`) and
/// what it knows (`show lldp ...`, `clear lldp statistics`).
enum LLDPCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {}

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        var lines: [String] = []
        let l = s.lldp
        if !l.enabled { lines.append("no lldp enable") }
        if l.refreshInterval != 30 { lines.append("lldp refresh-interval \(l.refreshInterval)") }
        if l.holdtimeMultiplier != 4 { lines.append("lldp holdtime-multiplier \(l.holdtimeMultiplier)") }
        if l.reinitDelay != 2 { lines.append("lldp reinit-delay \(l.reinitDelay)") }
        var stanzas = lines.map { ConfigStanza(section: .protocols, line: $0) }
        if let address = l.managementAddress {
            stanzas.append(ConfigStanza(section: .system, line: "system management-address \(address)"))
        }
        return stanzas
    }

    /// A port's LLDP lines inside its `interface port N` block.
    static func portLines(_ s: SwitchState, port: Int) -> [String] {
        var lines: [String] = []
        let status = s.lldp.adminStatus[port - 1]
        if status != .txRx { lines.append("lldp admin-status \(status.rawValue)") }
        let advertised = s.lldp.advertised[port - 1]
        for (tlv, keyword) in tlvKeywords where !advertised.contains(tlv) { lines.append("no lldp tlv \(keyword)") }
        return lines
    }

    /// `lldp tlv` keywords, in the order the TLVs are sent.
    static let tlvKeywords: [(LLDPAdvertisedTLVs, String)] = [
        (.portDescription, "portdesc"), (.systemName, "sysname"), (.systemDescription, "sysdescr"),
        (.systemCapabilities, "syscap"), (.managementAddress, "mgmtaddr"), (.portVLANID, "portvid"),
        (.vlanName, "vlanname"), (.dcbx, "dcbx"),
    ]
}
