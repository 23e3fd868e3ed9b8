import CommandEngine
import Console
import Dataplane
import RunningConfig
import Virtualization

/// `virt enable`, `virt oui`, `system server-ports`, `virt vmcheck`, `virt vmpolicy vmbwidth`.
extension VMreadySwitch {
    enum VirtCommands {}
}

extension VMreadySwitch.VirtCommands {
    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on("virt.enable") { _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.enabled = true }
        }
        t.on("virt.disable") { _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.enabled = false }
        }
        t.on("virt.oui") { ctx throws(CommandFailure) in
            let oui = ctx.arguments.oui("oui") ?? 0
            let vendor = ctx.arguments.text("vendor") ?? ""
            guard (1...32).contains(vendor.count), !vendor.contains("\"") else {
                throw CommandFailure("Vendor names are 1-32 characters without quotes")
            }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.ouiTable.set(oui, vendor: vendor) }
        }
        t.on("virt.oui.remove") { ctx throws(CommandFailure) in
            let oui = ctx.arguments.oui("oui") ?? 0
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.virt.ouiTable.remove(oui) else {
                    throw CommandFailure("OUI \(OUITable.format(oui: oui)) is not in the VM OUI table")
                }
            }
        }
        t.on("virt.server-ports") { ctx throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, ctx.arguments.ports("ports"))
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.serverPorts.formUnion(ports) }
        }
        t.on("virt.server-ports.remove") { ctx throws(CommandFailure) in
            let named = ctx.arguments.ports("ports")
            let ports = try VirtSupport.ports(sw, named)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                if named == nil { s.virt.serverPorts = [] } else { s.virt.serverPorts.subtract(ports) }
            }
        }
        t.on("vmcheck.trust") { ctx throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, ctx.arguments.ports("ports"))
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                s.virt.vmcheck.trustedPorts.formUnion(ports)
            }
        }
        t.on("vmcheck.trust.remove") { ctx throws(CommandFailure) in
            let named = ctx.arguments.ports("ports")
            let ports = try VirtSupport.ports(sw, named)
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                if named == nil { s.virt.vmcheck.trustedPorts = [] } else { s.virt.vmcheck.trustedPorts.subtract(ports) }
            }
        }
        t.on("vmcheck.action") { ctx throws(CommandFailure) in
            let action = VMCheckAction(rawValue: ctx.arguments.text("action") ?? "") ?? .log
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.vmcheck.basicAction = action }
        }
        t.on("vmcheck.action.default") { _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.virt.vmcheck.basicAction = .log }
        }
        t.on("vmbwidth.txrate") { ctx throws(CommandFailure) in
            let limit = try rateLimit(ctx)
            try editBandwidth(sw, ctx) { $0.txRate = limit }
        }
        t.on("vmbwidth.rxrate") { ctx throws(CommandFailure) in
            let limit = try rateLimit(ctx)
            try editBandwidth(sw, ctx) { $0.rxRate = limit }
        }
        t.on("vmbwidth.bwctrl") { ctx throws(CommandFailure) in
            try editBandwidth(sw, ctx) { $0.enabled = true }
        }
        t.on("vmbwidth.remove") { ctx throws(CommandFailure) in
            guard let vm = try VirtSupport.reference(ctx.arguments) else { return }
            let setting = ctx.arguments.text("setting")
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.virt.bandwidth[vm] != nil else { throw CommandFailure("VM \(vm) has no bandwidth limits") }
                s.virt.editBandwidth(vm) { entry in
                    switch setting {
                    case "txrate": entry.txRate = nil
                    case "rxrate": entry.rxRate = nil
                    case "bwctrl": entry.enabled = false
                    default: entry = VMBandwidth()
                    }
                }
            }
        }
        return t
    }

    private static func rateLimit(_ ctx: CommandContext) throws(CommandFailure) -> RateLimit {
        let rate = ctx.arguments.integer("rate") ?? 0
        try VirtSupport.requireRate(rate)
        return RateLimit(rateKbps: rate, burstKBytes: ctx.arguments.integer("burst") ?? 0)
    }

    private static func editBandwidth(_ sw: VMreadySwitch, _ ctx: CommandContext,
                                      _ edit: @escaping (inout VMBandwidth) -> Void) throws(CommandFailure) {
        guard let vm = try VirtSupport.reference(ctx.arguments) else { return }
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
        var check: [String] = []
        if !virt.vmcheck.trustedPorts.isEmpty {
            check.append("virt vmcheck trust " + VirtSupport.portList(virt.vmcheck.trustedPorts))
        }
        if virt.vmcheck.basicAction != .log { check.append("virt vmcheck action basic " + virt.vmcheck.basicAction.rawValue) }
        if !check.isEmpty { lines.append(ConfigStanza(section: .virt, key: 3, lines: check)) }
        var bandwidth: [String] = []
        for (vm, entry) in virt.bandwidth.sorted(by: { $0.key < $1.key }) {
            let prefix = "virt vmpolicy vmbwidth \(vm) "
            if let tx = entry.txRate { bandwidth.append(prefix + "txrate \(tx.rateKbps) \(tx.burstKBytes)") }
            if let rx = entry.rxRate { bandwidth.append(prefix + "rxrate \(rx.rateKbps) \(rx.burstKBytes)") }
            if entry.enabled { bandwidth.append(prefix + "bwctrl") }
        }
        if !bandwidth.isEmpty { lines.append(ConfigStanza(section: .virt, key: 30000, lines: bandwidth)) }
        return lines
    }
}
