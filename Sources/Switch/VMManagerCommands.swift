import CommandEngine
import Console
import RunningConfig
import Virtualization

/// `virt vmmanager ...`, the advanced VM check's action and bound, and what they show
/// (vm-manager.md). The connections themselves are `VMManagerService`'s.
enum VMManagerCommands: SwitchFeature {
    /// Longest URI or template accepted: a URI is a line of configuration, not a file.
    static let maximumURILength = 512

    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.vmmanagerHostUri) { args, _ throws(CommandFailure) in
            let (host, uri) = (args.host, args.uri)
            try checkText(uri, what: "URI")
            try edit(sw, host, create: true) { $0.uri = uri }
        }
        t.on(.vmmanagerHostRemove) { args, _ throws(CommandFailure) in
            let host = args.host
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.vmManager.hosts.removeValue(forKey: host) != nil else { throw noSuchHost(host) }
            }
        }
        t.on(.vmmanagerHostUriRemove) { args, _ throws(CommandFailure) in
            let host = args.host
            try edit(sw, host) { h throws(CommandFailure) in
                guard h.uri != nil else { throw CommandFailure("VM manager host \(host) has no URI") }
                h.uri = nil
            }
        }
        t.on(.vmmanagerHostPort) { args, _ throws(CommandFailure) in
            let ports = try VirtSupport.ports(sw, args.ports)
            try edit(sw, args.host, create: true) { $0.ports.formUnion(ports) }
        }
        t.on(.vmmanagerHostPortRemove) { args, _ throws(CommandFailure) in
            let named = args.ports
            let ports = try VirtSupport.ports(sw, named)
            try edit(sw, args.host) { h throws(CommandFailure) in
                if named == nil { h.ports = [] } else { h.ports.subtract(ports) }
            }
        }
        t.on(.vmmanagerDiscover) { args, _ throws(CommandFailure) in
            let template = args.template
            try checkText(template, what: "URI template")
            guard VMManagerSettings.templateFields.contains(where: template.contains) else {
                throw CommandFailure("The template names no neighbour field: use {address} or {name}")
            }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.vmManager.discoveryTemplate = template }
        }
        t.on(.vmmanagerDiscoverRemove) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.vmManager.discoveryTemplate = nil }
        }
        t.on(.vmmanagerPublish) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.vmManager.publish = true }
        }
        t.on(.vmmanagerPublishOff) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.vmManager.publish = false }
        }
        t.on(.vmcheckActionAdvanced) { args, _ throws(CommandFailure) in
            let action: VMCheckAction = switch args.action {
            case .log: .log
            case .link: .link
            case .acl: .acl
            }
            try setAdvancedAction(sw, action)
        }
        t.on(.vmcheckActionAdvancedDefault) { _, _ throws(CommandFailure) in try setAdvancedAction(sw, .log) }
        t.on(.vmcheckAcls) { args, _ throws(CommandFailure) in try setACLsMax(sw, args.max) }
        t.on(.vmcheckAclsDefault) { _, _ throws(CommandFailure) in try setACLsMax(sw, VMCheckSettings.defaultACLsMax) }
        t.on(.showVirtVmmanager) { _, ctx throws(CommandFailure) in
            sw.vmManager.drain()
            ctx.show(VirtVMManagerReport(sw))
        }
        t.on(.showVirtVmmanagerVms) { args, ctx throws(CommandFailure) in
            let host = args.host
            sw.vmManager.drain()
            if let host, sw.vmManager.state.withLock({ $0.inventory.hosts[host] == nil }) {
                throw CommandFailure("No VM manager connection to \(host)")
            }
            ctx.show(VirtVMManagerVMsReport(sw, host: host))
        }
        t.on(.showVirtVMCheck) { _, ctx throws(CommandFailure) in
            sw.vmManager.drain()
            ctx.show(VirtVMCheckReport(sw))
        }
    }

    static func noSuchHost(_ host: String) -> CommandFailure { CommandFailure("VM manager host \(host) is not configured") }

    /// URIs and templates are single lines of printable text.
    static func checkText(_ text: String, what: String) throws(CommandFailure) {
        guard !text.isEmpty, text.count <= maximumURILength,
              text.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7f }) else {
            throw CommandFailure("Invalid \(what): 1-\(maximumURILength) printable characters, no spaces")
        }
    }

    /// Changes host `name` (created when `create`, else it must exist); a host left with
    /// neither URI nor ports is no host.
    private static func edit(_ sw: VMreadySwitch, _ name: String, create: Bool = false,
                             _ change: (inout VMManagerSettings.Host) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            guard var host = s.vmManager.hosts[name] ?? (create ? VMManagerSettings.Host() : nil) else { throw noSuchHost(name) }
            if s.vmManager.hosts[name] == nil, s.vmManager.hosts.count >= VMManagerSettings.maximumHosts {
                throw CommandFailure("At most \(VMManagerSettings.maximumHosts) VM manager hosts")
            }
            try change(&host)
            s.vmManager.hosts[name] = host.uri == nil && host.ports.isEmpty ? nil : host
        }
    }

    /// Another action than `acl` lifts every block the `acl` action made.
    private static func setAdvancedAction(_ sw: VMreadySwitch, _ action: VMCheckAction) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            s.virt.vmcheck.advancedAction = action
            if action != .acl { s.vmcheckBlocks = [] }
        }
    }

    /// A lower bound lifts the newest blocks beyond it.
    private static func setACLsMax(_ sw: VMreadySwitch, _ max: Int) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            s.virt.vmcheck.aclsMax = max
            if s.vmcheckBlocks.count > max { s.vmcheckBlocks.removeLast(s.vmcheckBlocks.count - max) }
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        var lines: [String] = []
        for (name, host) in s.vmManager.hosts.sorted(by: { $0.key < $1.key }) {
            if let uri = host.uri { lines.append("virt vmmanager host \(name) uri " + ConfigText.quoted(uri)) }
            if !host.ports.isEmpty { lines.append("virt vmmanager host \(name) port " + VirtSupport.portList(host.ports)) }
        }
        if let template = s.vmManager.discoveryTemplate {
            lines.append("virt vmmanager discover lldp " + ConfigText.quoted(template))
        }
        if !s.vmManager.publish { lines.append("no virt vmmanager publish") }
        return lines.isEmpty ? [] : [ConfigStanza(section: .virt, key: 5, lines: lines)]
    }
}
