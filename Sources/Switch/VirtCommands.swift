import CommandEngine
import Console
import Dataplane
import RunningConfig
import SwitchTypes
import Virtualization

/// `virt enable`, `virt oui`, `system server-ports`, `virt vmcheck`, `virt vmpolicy vmbwidth`.
enum VirtCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.virtEnable) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.enabled = true }
        }
        t.on(.virtVMLimit) { args, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.vmLimit = args.limit }
        }
        t.on(.virtVMLimitDefault) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.vmLimit = VirtConfiguration.defaultVMLimit }
        }
        t.on(.virtDisable) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.enabled = false }
        }
        t.on(.virtOUI) { args, _ throws(CommandFailure) in
            let oui = args.oui
            let vendor = args.vendor
            guard (1...32).contains(vendor.count), !vendor.contains("\"") else {
                throw CommandFailure("Vendor names are 1-32 characters without quotes")
            }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.ouiTable.set(oui, vendor: vendor) }
        }
        t.on(.virtOUIRemove) { args, _ throws(CommandFailure) in
            let oui = args.oui
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.virt.ouiTable.remove(oui) else {
                    throw CommandFailure("OUI \(OUITable.format(oui: oui)) is not in the VM OUI table")
                }
            }
        }
        t.on(.virtServerPorts) { args, _ throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, args.ports)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.serverPorts.formUnion(ports) }
        }
        t.on(.virtServerPortsRemove) { args, _ throws(CommandFailure) in
            let named = args.ports
            let ports = try VirtSupport.ports(sw, named)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                if named == nil { s.virt.serverPorts = [] } else { s.virt.serverPorts.subtract(ports) }
            }
        }
        t.on(.vmcheckTrust) { args, _ throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, args.ports)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                s.virt.vmcheck.trustedPorts.formUnion(ports)
            }
        }
        t.on(.vmcheckTrustRemove) { args, _ throws(CommandFailure) in
            let named = args.ports
            let ports = try VirtSupport.ports(sw, named)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                if named == nil { s.virt.vmcheck.trustedPorts = [] } else { s.virt.vmcheck.trustedPorts.subtract(ports) }
            }
        }
        t.on(.vmcheckAction) { args, _ throws(CommandFailure) in
            let action: VMCheckAction = switch args.action {
            case .log: .log
            case .link: .link
            }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.vmcheck.basicAction = action }
        }
        t.on(.vmcheckActionDefault) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.vmcheck.basicAction = .log }
        }
        t.on(.vmbwidthTxrate) { args, _ throws(CommandFailure) in
            let limit = try rateLimit(rate: args.rate, burst: args.burst)
            let vm = try VirtSupport.reference(mac: args.mac, index: args.index, ip: args.ip)
            try editBandwidth(sw, vm) { $0.txRate = limit }
        }
        t.on(.vmbwidthRxrate) { args, _ throws(CommandFailure) in
            let limit = try rateLimit(rate: args.rate, burst: args.burst)
            let vm = try VirtSupport.reference(mac: args.mac, index: args.index, ip: args.ip)
            try editBandwidth(sw, vm) { $0.rxRate = limit }
        }
        t.on(.vmbwidthBwctrl) { args, _ throws(CommandFailure) in
            let vm = try VirtSupport.reference(mac: args.mac, index: args.index, ip: args.ip)
            try editBandwidth(sw, vm) { $0.enabled = true }
        }
        t.on(.vmbwidthRemove) { args, _ throws(CommandFailure) in
            guard let vm = try VirtSupport.reference(mac: args.mac, index: args.index, ip: args.ip) else { return }
            let setting = args.setting
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.virt.bandwidth[vm] != nil else { throw CommandFailure("VM \(vm) has no bandwidth limits") }
                s.virt.editBandwidth(vm) { entry in
                    switch setting {
                    case .txrate?: entry.txRate = nil
                    case .rxrate?: entry.rxRate = nil
                    case .bwctrl?: entry.enabled = false
                    case nil: entry = VMBandwidth()
                    }
                }
            }
        }
    }

    private static func rateLimit(rate: Int, burst: Int) throws(CommandFailure) -> RateLimit {
        try VirtSupport.requireRate(rate)
        return RateLimit(rateKbps: rate, burstKBytes: burst)
    }

    private static func editBandwidth(_ sw: VMreadySwitch, _ vm: VMReference?,
                                      _ edit: @escaping (inout VMBandwidth) -> Void) throws(CommandFailure) {
        guard let vm else { return }
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.editBandwidth(vm, edit) }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        var lines: [ConfigStanza] = []
        let virt = s.virt
        var ouiLines: [String] = []
        let defaults = OUITable.defaults
        for entry in defaults.entries where virt.ouiTable.vendor(forOUI: entry.oui) == nil {
            ouiLines.append("no virt oui " + OUITable.format(oui: entry.oui))
        }
        for entry in virt.ouiTable.entries where defaults.vendor(forOUI: entry.oui) != entry.vendor {
            ouiLines.append("virt oui " + OUITable.format(oui: entry.oui) + " " + ConfigText.quoted(entry.vendor))
        }
        if !ouiLines.isEmpty { lines.append(ConfigStanza(section: .virt, key: 0, lines: ouiLines)) }
        if !virt.serverPorts.isEmpty {
            lines.append(ConfigStanza(section: .virt, key: 1,
                                      line: "system server-ports port " + VirtSupport.portList(virt.serverPorts)))
        }
        if virt.enabled { lines.append(ConfigStanza(section: .virt, key: 2, line: "virt enable")) }
        if virt.vmLimit != VirtConfiguration.defaultVMLimit {
            lines.append(ConfigStanza(section: .virt, key: 4, line: "virt vm limit \(virt.vmLimit)"))
        }
        var check: [String] = []
        if !virt.vmcheck.trustedPorts.isEmpty {
            check.append("virt vmcheck trust " + VirtSupport.portList(virt.vmcheck.trustedPorts))
        }
        if virt.vmcheck.basicAction != .log { check.append("virt vmcheck action basic " + virt.vmcheck.basicAction.rawValue) }
        if virt.vmcheck.advancedAction != .log {
            check.append("virt vmcheck action advanced " + virt.vmcheck.advancedAction.rawValue)
        }
        if virt.vmcheck.aclsMax != VMCheckSettings.defaultACLsMax { check.append("virt vmcheck acls max \(virt.vmcheck.aclsMax)") }
        if !check.isEmpty { lines.append(ConfigStanza(section: .virt, key: 3, lines: check)) }
        var bandwidth: [String] = []
        for (vm, entry) in virt.bandwidth.sorted() {
            let prefix = "virt vmpolicy vmbwidth \(vm) "
            if let tx = entry.txRate { bandwidth.append(prefix + "txrate \(tx.rateKbps) \(tx.burstKBytes)") }
            if let rx = entry.rxRate { bandwidth.append(prefix + "rxrate \(rx.rateKbps) \(rx.burstKBytes)") }
            if entry.enabled { bandwidth.append(prefix + "bwctrl") }
        }
        if !bandwidth.isEmpty { lines.append(ConfigStanza(section: .virt, key: 30000, lines: bandwidth)) }
        return lines
    }
}
