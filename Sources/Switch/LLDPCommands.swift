import CommandEngine
import Console
import Frames
import Protocols
import RunningConfig
import SwitchTypes

/// LLDP's settings (`lldp ...`, `system management-address`, interface `lldp ...`) and
/// what it knows (`show lldp ...`, `clear lldp statistics`).
enum LLDPCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.lldpEnable) { _, _ throws(CommandFailure) in try global(sw) { $0.enabled = true } }
        t.on(.lldpDisable) { _, _ throws(CommandFailure) in try global(sw) { $0.enabled = false } }
        t.on(.lldpRefreshInterval) { args, _ throws(CommandFailure) in try global(sw) { $0.refreshInterval = args.seconds } }
        t.on(.lldpRefreshIntervalDefault) { _, _ throws(CommandFailure) in try global(sw) { $0.refreshInterval = 30 } }
        t.on(.lldpHoldtimeMultiplier) { args, _ throws(CommandFailure) in
            try global(sw) { $0.holdtimeMultiplier = args.multiplier }
        }
        t.on(.lldpHoldtimeMultiplierDefault) { _, _ throws(CommandFailure) in try global(sw) { $0.holdtimeMultiplier = 4 } }
        t.on(.lldpReinitDelay) { args, _ throws(CommandFailure) in try global(sw) { $0.reinitDelay = args.seconds } }
        t.on(.lldpReinitDelayDefault) { _, _ throws(CommandFailure) in try global(sw) { $0.reinitDelay = 2 } }
        t.on(.lldpManagementAddress) { args, _ throws(CommandFailure) in
            let address = args.address
            // What a manager could reach the switch at: not 0.0.0.0, a broadcast or a multicast group.
            guard address.rawValue != 0, address.rawValue != 0xffff_ffff, address.rawValue >> 28 != 0xe else {
                throw CommandFailure("\(address) is not a unicast address")
            }
            try global(sw) { $0.managementAddress = address }
        }
        t.on(.lldpManagementAddressClear) { _, _ throws(CommandFailure) in try global(sw) { $0.managementAddress = nil } }
        t.on(.interfaceLLDPAdminStatus) { args, _ throws(CommandFailure) in
            let status: LLDPAdminStatus = switch args.status {
            case .txRx: .txRx
            case .txOnly: .txOnly
            case .rxOnly: .rxOnly
            case .disabled: .disabled
            }
            try ports(sw, args.ports) { $0.adminStatus[$1 - 1] = status }
        }
        t.on(.interfaceLLDPAdminStatusDefault) { args, _ throws(CommandFailure) in
            try ports(sw, args.ports) { $0.adminStatus[$1 - 1] = .txRx }
        }
        t.on(.interfaceLLDPTlv) { args, _ throws(CommandFailure) in
            let tlv = advertised(args.tlv.rawValue)
            try ports(sw, args.ports) { $0.advertised[$1 - 1].insert(tlv) }
        }
        t.on(.interfaceLLDPTlvRemove) { args, _ throws(CommandFailure) in
            let tlv = advertised(args.tlv.rawValue)
            try ports(sw, args.ports) { $0.advertised[$1 - 1].remove(tlv) }
        }
        t.on(.showLLDP) { _, ctx in ctx.show(LLDPGlobalReport(sw.lldpView())) }
        t.on(.showLLDPPort) { args, ctx throws(CommandFailure) in
            let ports = try InterfaceCommands.validPorts(sw, args.ports)
            ctx.show(LLDPPortReport(sw.lldpView(), ports: ports))
        }
        t.on(.showLLDPRemoteDevice) { args, ctx throws(CommandFailure) in
            let ports = try InterfaceCommands.validPorts(sw, args.ports)
            ctx.show(LLDPRemoteDeviceReport(sw.lldpView(), ports: ports))
        }
        t.on(.showLLDPRemoteDeviceDetail) { args, ctx throws(CommandFailure) in
            let ports = try InterfaceCommands.validPorts(sw, args.ports)
            ctx.show(LLDPRemoteDeviceDetailReport(sw.lldpView(), ports: ports, now: sw.dataplane.clock.now()))
        }
        t.on(.showLLDPStatistics) { args, ctx throws(CommandFailure) in
            let ports = try InterfaceCommands.validPorts(sw, args.ports)
            ctx.show(LLDPStatisticsReport(sw.lldpView(), ports: ports))
        }
        t.on(.clearLLDPStatistics) { _, _ in
            sw.lldp.clearCounters()
        }
    }

    /// Changes LLDP's global settings as one step.
    private static func global(_ sw: VMreadySwitch, _ change: (inout LLDPConfiguration) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in change(&s.lldp) }
    }

    /// Changes LLDP's settings of every port of the `interface port LIST` the session is in, as one step.
    private static func ports(_ sw: VMreadySwitch, _ named: [BridgePort],
                              _ change: (inout LLDPConfiguration, Int) -> Void) throws(CommandFailure) {
        // LLDP runs on the physical port; its vNICs' station speaks through it.
        let ports = try InterfaceCommands.validPorts(sw, named)
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            for port in ports where s.bridge.isValidPort(port) { change(&s.lldp, port) }
        }
    }

    private static func advertised(_ keyword: String) -> LLDPAdvertisedTLVs {
        tlvKeywords.first { $0.1 == keyword }?.0 ?? []
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        var lines: [String] = []
        let l = s.lldp
        if !l.enabled { lines.append("no lldp enable") }
        if l.refreshInterval != 30 { lines.append("lldp refresh-interval \(l.refreshInterval)") }
        if l.holdtimeMultiplier != 4 { lines.append("lldp holdtime-multiplier \(l.holdtimeMultiplier)") }
        if l.reinitDelay != 2 { lines.append("lldp reinit-delay \(l.reinitDelay)") }
        var stanzas = lines.isEmpty ? [] : [ConfigStanza(section: .protocols, lines: lines)]
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
