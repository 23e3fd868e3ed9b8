import CommandEngine
import Console
import Frames
import Protocols
import RunningConfig
import SwitchTypes

/// DCBX's settings (`dcbx ...`, interface `dcbx advertise|willing`) and `show dcbx`.
enum DCBXCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.dcbxEnable) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.enableDCBX() }
        }
        t.on(.dcbxDisable) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.dcbx.global.enabled = false }
        }
        t.on(.dcbxETSGroup) { args, _ throws(CommandFailure) in
            let group = UInt8(args.group), bandwidth = UInt8(args.bandwidth)
            let priorities = try priorityList(args.priorities)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try s.setPriorityGroup(group, priorities: priorities, bandwidth: bandwidth)
            }
        }
        t.on(.dcbxETSGroupRemove) { args, _ throws(CommandFailure) in
            let group = UInt8(args.group)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.removePriorityGroup(group) }
        }
        t.on(.dcbxPFC) { args, _ throws(CommandFailure) in
            let priorities = try priorityList(args.priorities)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.dcbx.global.pfcPriorities = priorities }
        }
        t.on(.dcbxPFCRemove) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.dcbx.global.pfcPriorities = [] }
        }
        t.on(.dcbxApplication) { args, _ throws(CommandFailure) in
            let (selector, protocolID) = try application(ethertype: args.ethertype, tcp: args.tcp, udp: args.udp)
            let entry = ApplicationPriorityEntry(priority: UInt8(args.priority), selector: selector, protocolID: protocolID)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.setApplication(entry) }
        }
        t.on(.dcbxApplicationRemove) { args, _ throws(CommandFailure) in
            let (selector, protocolID) = try application(ethertype: args.ethertype, tcp: args.tcp, udp: args.udp)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                try s.removeApplication(selector: selector, protocolID: protocolID)
            }
        }
        t.on(.interfaceDCBXAdvertise) { args, _ throws(CommandFailure) in
            let setting: WritableKeyPath<DCBXSettings.Port, Bool> = switch args.tlv {
            case .ets: \.advertiseETS
            case .pfc: \.advertisePFC
            case .application: \.advertiseApplications
            }
            try setPorts(sw, args.ports, setting, true)
        }
        t.on(.interfaceDCBXAdvertiseRemove) { args, _ throws(CommandFailure) in
            let setting: WritableKeyPath<DCBXSettings.Port, Bool> = switch args.tlv {
            case .ets: \.advertiseETS
            case .pfc: \.advertisePFC
            case .application: \.advertiseApplications
            }
            try setPorts(sw, args.ports, setting, false)
        }
        t.on(.interfaceDCBXWilling) { args, _ throws(CommandFailure) in try setPorts(sw, args.ports, \.willing, true) }
        t.on(.interfaceDCBXWillingRemove) { args, _ throws(CommandFailure) in try setPorts(sw, args.ports, \.willing, false) }
        t.on(.showDCBX) { args, ctx throws(CommandFailure) in
            let ports = try InterfaceCommands.validPorts(sw, args.ports)
            sw.settle()
            ctx.show(DCBXReport(sw, ports: ports))
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        let d = s.dcbx.global
        var lines: [String] = []
        for (group, settings) in d.priorityGroups.sorted(by: { $0.key < $1.key }) {
            lines.append("dcbx ets priority-group \(group) priorities \(priorityText(settings.priorities)) bandwidth \(settings.bandwidth)")
        }
        if !d.pfcPriorities.isEmpty { lines.append("dcbx pfc priority \(priorityText(d.pfcPriorities))") }
        for entry in d.applications { lines.append("dcbx application \(applicationText(entry)) priority \(entry.priority)") }
        // Last, so that a replay checks the ETS bandwidths once every group is there.
        if d.enabled { lines.append("dcbx enable") }
        return lines.isEmpty ? [] : [ConfigStanza(section: .protocols, lines: lines)]
    }

    /// A port's DCBX lines inside its `interface port N` block.
    static func portLines(_ s: SwitchState, port: Int) -> [String] {
        let p = s.dcbx.ports[port - 1]
        var lines: [String] = []
        if !p.advertiseETS { lines.append("no dcbx advertise ets") }
        if !p.advertisePFC { lines.append("no dcbx advertise pfc") }
        if !p.advertiseApplications { lines.append("no dcbx advertise application") }
        if p.willing { lines.append("dcbx willing") }
        return lines
    }

    /// Priorities as typed: `3,4`, `0-2,5`; each 0-7.
    static func priorityList(_ text: String) throws(CommandFailure) -> Set<UInt8> {
        var priorities = Set<UInt8>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            var bounds: [Int] = []
            for end in ends {
                guard (1...2).contains(ends.count), (1...3).contains(end.count), end.allSatisfy(\.isASCII),
                      end.allSatisfy(\.isNumber), let n = Int(end) else {
                    throw CommandFailure("Priorities must be 0-7, as a list and ranges, e.g. 3,4 or 0-2")
                }
                guard n < 8 else { throw CommandFailure("Priority \(n) is out of range (0-7)") }
                bounds.append(n)
            }
            guard let low = bounds.first, let high = bounds.last, low <= high else {
                throw CommandFailure("Priorities must be 0-7, as a list and ranges, e.g. 3,4 or 0-2")
            }
            for n in low...high { priorities.insert(UInt8(n)) }
        }
        return priorities
    }

    /// Priorities as the running-config writes them: `0-2,5`.
    static func priorityText(_ priorities: Set<UInt8>) -> String {
        let sorted = priorities.sorted().map(Int.init)
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(index == end ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    /// `ethertype 0x8906`, `tcp-port 3260`, `udp-port 4791`, as typed (a peer's other
    /// selectors by number).
    static func applicationText(_ entry: ApplicationPriorityEntry) -> String {
        switch entry.selector {
        case ApplicationPriorityEntry.Selector.etherType: "ethertype " + hex16(entry.protocolID)
        case ApplicationPriorityEntry.Selector.tcpSCTPPort: "tcp-port \(entry.protocolID)"
        case ApplicationPriorityEntry.Selector.udpDCCPPort: "udp-port \(entry.protocolID)"
        case ApplicationPriorityEntry.Selector.tcpSCTPUDPDCCPPort: "tcp-udp-port \(entry.protocolID)"
        case ApplicationPriorityEntry.Selector.dscp: "dscp \(entry.protocolID)"
        default: "selector \(entry.selector) \(entry.protocolID)"
        }
    }

    static func hex16(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// The selector and protocol ID an application line names. EtherTypes, as 802.1Qaz
    /// allows them, are 0x0600 and up (below are 802.3 lengths).
    private static func application(ethertype: String?, tcp: Int?, udp: Int?) throws(CommandFailure) -> (UInt8, UInt16) {
        if let text = ethertype?.lowercased() {
            guard text.hasPrefix("0x"), (3...6).contains(text.count), let value = UInt16(text.dropFirst(2), radix: 16),
                  value >= 0x0600 else {
                throw CommandFailure("EtherType must be 0x0600-0xffff in hex, e.g. 0x8906")
            }
            return (ApplicationPriorityEntry.Selector.etherType, value)
        }
        if let tcp { return (ApplicationPriorityEntry.Selector.tcpSCTPPort, UInt16(tcp)) }
        return (ApplicationPriorityEntry.Selector.udpDCCPPort, UInt16(udp ?? 0))
    }

    /// One per-port setting on every port of the `interface port LIST` the session is in.
    private static func setPorts(_ sw: VMreadySwitch, _ named: [BridgePort], _ setting: WritableKeyPath<DCBXSettings.Port, Bool>,
                                 _ value: Bool) throws(CommandFailure) {
        let ports = try InterfaceCommands.validPorts(sw, named)
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            for p in ports { s.dcbx.ports[p - 1][keyPath: setting] = value }
        }
    }
}
