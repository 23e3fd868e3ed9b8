import Console
import Dataplane
import Dispatch
import Foundation
import Frames
import Protocols
import Synchronization
import Virtualization
import VMManager

/// The switch's side of the VM managers (vm-manager.md): one connection per hypervisor
/// host, their reports taken in on a serial queue of its own, the inventory, the verdicts
/// on the VMs the switch sees, and what follows from them (log, err-disable, blocks,
/// metadata, pre-provisioning). Nothing here runs on the forwarding thread or makes the
/// CLI wait: a host that is slow only delays its own connection's thread.
final class VMManagerService: Sendable {
    struct Connection {
        let uri: String
        let connection: any VMManagerConnection
    }

    struct State {
        var inventory = VMInventory()
        var connections: [String: Connection] = [:]
        /// Per VM MAC the switch has judged: the port it was seen on and the verdict.
        var verdicts: [MACAddress: (port: Int, verdict: VMVerdict)] = [:]
        /// What was last written into each domain's metadata, by UUID.
        var metadata: [String: String] = [:]
        /// Arrivals pre-provisioned.
        var preprovisioned = 0
        /// The inventory's `namesGeneration` last handed to the switch.
        var namesApplied = 0
        /// Spoofs the `acl` action could not block (`virt vmcheck acls max` reached).
        var blocksRefused = 0
    }

    private let queue = DispatchQueue(label: "vmready.vmmanager")
    private let connector: VMManagerConnector?
    private let owner = Mutex<VMreadySwitchReference?>(nil)
    let state = Mutex(State())

    init(connector: VMManagerConnector?) {
        self.connector = connector
    }

    func attach(to sw: VMreadySwitch) {
        owner.withLock { $0 = VMreadySwitchReference(sw) }
    }

    private var sw: VMreadySwitch? { owner.withLock { $0?.value } }

    // MARK: Triggers (any thread; each only queues)

    /// The configuration changed (connections, bindings, checks, groups).
    func configurationChanged() { queue.async { [self] in reconcile(); evaluate(nil) } }

    /// LLDP neighbours came or went: which host is behind which port.
    func topologyChanged() { queue.async { [self] in reconcile(); evaluate(nil) } }

    /// VMs were detected or moved.
    func vmsChanged(_ macs: [MACAddress]) {
        guard !macs.isEmpty, isActive else { return }
        queue.async { [self] in evaluate(Set(macs)) }
    }

    /// A connection's report.
    func deliver(_ event: VMManagerEvent) { queue.async { [self] in handle(event) } }

    /// The domain name and UUID the VM managers report for `mac` (a running domain first),
    /// nil when none does: how the policy database knows the VM by name or UUID.
    func identity(of mac: MACAddress) -> (name: String, uuid: String)? {
        state.withLock { state in
            let domains = (state.inventory.places[mac] ?? []).compactMap { state.inventory.domain($0) }
            return (domains.first { $0.state == .running } ?? domains.first).map { ($0.name, $0.uuid) }
        }
    }

    /// Waits until everything queued so far is handled (tests, `show` right after a change).
    func drain() { queue.sync {} }

    /// Closes every connection (the switch stops).
    func stopAll() {
        let connections = state.withLock { state in
            defer { state.connections = [:] }
            return Array(state.connections.values)
        }
        for connection in connections { connection.connection.stop() }
    }

    /// Whether there is anything to verify against: with no VM manager, detections cost nothing here.
    private var isActive: Bool { state.withLock { !$0.inventory.hosts.isEmpty || !$0.verdicts.isEmpty } }

    // MARK: Connections

    /// Opens and closes connections to match the configuration and, with `discover lldp`,
    /// the LLDP neighbours on server ports.
    private func reconcile() {
        guard let sw else { return }
        let (settings, serverPorts) = sw.state.withLock { ($0.vmManager, $0.virt.serverPorts) }
        var wanted: [String: (uri: String, discovered: Bool)] = [:]
        for (name, host) in settings.hosts { if let uri = host.uri { wanted[name] = (uri, false) } }
        if let template = settings.discoveryTemplate {
            for entry in sw.lldp.snapshot.neighbors.sorted where serverPorts.contains(entry.key.port) {
                guard let name = entry.info.systemName?.description, !name.isEmpty, wanted[name] == nil,
                      let address = Self.managementAddress(entry.info) else { continue }
                wanted[name] = (VMManagerSettings.uri(template: template, address: address, name: name), true)
            }
        }
        if wanted.count > VMManagerSettings.maximumHosts {
            wanted = Dictionary(uniqueKeysWithValues: wanted.sorted { $0.key < $1.key }.prefix(VMManagerSettings.maximumHosts)
                .map { ($0.key, $0.value) })
        }
        var closing: [any VMManagerConnection] = []
        var opening: [(String, String)] = []
        state.withLock { state in
            for (name, connection) in state.connections where wanted[name]?.uri != connection.uri {
                closing.append(connection.connection)
                state.connections[name] = nil
                state.inventory.remove(host: name)
            }
            for (name, want) in wanted.sorted(by: { $0.key < $1.key }) where state.connections[name] == nil {
                state.inventory.add(host: name, uri: want.uri, discovered: want.discovered)
                opening.append((name, want.uri))
            }
        }
        for connection in closing { connection.stop() }
        updateNames(sw)
        guard let connector else { return }
        for (name, uri) in opening {
            let connection = connector(name, uri) { [weak self] event in self?.deliver(event) }
            state.withLock { $0.connections[name] = Connection(uri: uri, connection: connection) }
            connection.start()
        }
    }

    /// The neighbour's first IPv4 management address, else its first of any kind.
    static func managementAddress(_ neighbor: LLDPDU) -> String? {
        var other: String?
        for case .managementAddress(let management) in neighbor.tlvs {
            if case .ipv4(let address) = management.address { return address.description }
            other = other ?? management.address.description
        }
        return other
    }

    // MARK: Reports

    private func handle(_ event: VMManagerEvent) {
        guard let sw else { return }
        let now = sw.clockDate
        let before = state.withLock { state -> VMInventory.Host? in
            if case .connected(let host, _, _) = event { return state.inventory.hosts[host] }
            if case .disconnected(let host, _, _) = event { return state.inventory.hosts[host] }
            return nil
        }
        let touched = state.withLock { $0.inventory.apply(event, at: now) }
        switch event {
        case .connected(let host, let hostname, let domains):
            guard before != nil else { return }
            sw.eventLog.log(.notice, "vmmanager", "connected to \(host) (\(hostname)): \(domains.count) domain"
                            + (domains.count == 1 ? "" : "s"), at: now)
        case .disconnected(let host, let reason, let retry):
            // Logged on the change, not on every failed retry.
            guard let before, before.state != .down else { return }
            sw.eventLog.log(.warning, "vmmanager", "\(host) is down: \(reason); retrying in \(retry) s, its inventory is stale",
                            at: now)
        case .domain(let host, let lifecycle, let domain):
            if lifecycle.isArrival { preprovision(domain, on: host, sw: sw) }
            if lifecycle.isDeparture { withdraw(domain, from: host, sw: sw) }
        case .undefined:
            break
        case .skipped(let host, let reason):
            sw.repeatedEvents.log(.warning, "vmmanager", kind: "skipped from \(host)", "\(host): skipped \(reason)", at: now)
        }
        updateNames(sw)
        if case .connected = event { evaluate(nil) } else if case .disconnected = event { evaluate(nil) } else { evaluate(touched) }
    }

    /// `vm NAME` members follow the inventory's names.
    private func updateNames(_ sw: VMreadySwitch) {
        let names = state.withLock { state -> [String: [MACAddress]]? in
            guard state.namesApplied != state.inventory.namesGeneration else { return nil }
            state.namesApplied = state.inventory.namesGeneration
            return state.inventory.names
        }
        guard let names else { return }
        do {
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.vmManagerNames = names }
        } catch {
            sw.eventLog.log(.error, "vmmanager", "VM names not applied: \(error.message)", at: sw.clockDate)
        }
    }

    // MARK: Where hosts are

    /// The ports `host` is behind, ascending: bound there (`virt vmmanager host NAME port`),
    /// or where an LLDP neighbour's System Name names it. Only hosts the switch connects to
    /// count (the inventory's).
    private func ports(of host: String, settings: VMManagerSettings, neighbors: [Int: [String]],
                       inventory: VMInventory) -> [Int] {
        let bound = settings.hosts[host]?.ports ?? []
        let heard = neighbors.filter { $0.value.contains { inventory.host(host, isNamed: $0) } }.keys
        return Set(bound).union(heard).sorted()
    }

    /// LLDP System Names by port.
    private static func neighborNames(_ sw: VMreadySwitch) -> [Int: [String]] {
        var names: [Int: [String]] = [:]
        for entry in sw.lldp.snapshot.neighbors.sorted {
            if let name = entry.info.systemName?.description, !name.isEmpty { names[entry.key.port, default: []].append(name) }
        }
        return names
    }

    /// The ports each connected host is behind, for `show virt vmmanager`.
    func portsByHost() -> [String: [Int]] {
        guard let sw else { return [:] }
        return portsByHost(settings: sw.state.withLock { $0.vmManager }, inventory: state.withLock { $0.inventory },
                           neighbors: Self.neighborNames(sw))
    }

    private func portsByHost(settings: VMManagerSettings, inventory: VMInventory, neighbors: [Int: [String]]) -> [String: [Int]] {
        Dictionary(uniqueKeysWithValues: inventory.hosts.keys.map {
            ($0, ports(of: $0, settings: settings, neighbors: neighbors, inventory: inventory))
        })
    }

    // MARK: Pre-provisioning

    /// The domain started or resumed on `host`: its VMs' policy goes to the host's port now,
    /// before their first frame there, and any block of them there is lifted (the hypervisor
    /// says they are there).
    private func preprovision(_ domain: DomainRecord, on host: String, sw: VMreadySwitch) {
        let (settings, serverPorts) = sw.state.withLock { ($0.vmManager, $0.virt.serverPorts) }
        let inventory = state.withLock { $0.inventory }
        let hostPorts = ports(of: host, settings: settings, neighbors: Self.neighborNames(sw), inventory: inventory)
        guard let port = hostPorts.first(where: serverPorts.contains) else { return }
        let time = sw.dataplane.clock.now()
        let moves = sw.vms.relocate(domain.macs, to: port, at: time)
        sw.dataplane.expectStations(domain.macs, on: port)
        sw.policyDB.vmsChanged(moves.map(\.mac))
        state.withLock { $0.preprovisioned += 1 }
        let date = Date(timeIntervalSince1970: Double(time.nanoseconds) / 1e9)
        for move in moves {
            sw.eventLog.log(.notice, "virt", "VM \(move.mac) moved from port \(move.from) to port \(move.to) (VM manager: "
                            + "\(domain.name) started on \(host))", at: date, mac: move.mac, port: move.to.description)
        }
        let lifted = Set(hostPorts.flatMap { p in domain.macs.map { VMCheckBlock(port: p, mac: $0) } })
        if sw.state.withLock({ !$0.vmcheckBlocks.filter(lifted.contains).isEmpty }) {
            try? sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                s.vmcheckBlocks.removeAll(where: lifted.contains)
            }
        }
    }

    /// The domain stopped on `host`: its VMs still placed behind that host leave the port's
    /// VLAN membership (which stays while another member needs it).
    private func withdraw(_ domain: DomainRecord, from host: String, sw: VMreadySwitch) {
        let settings = sw.state.withLock { $0.vmManager }
        let inventory = state.withLock { $0.inventory }
        let hostPorts = Set(ports(of: host, settings: settings, neighbors: Self.neighborNames(sw), inventory: inventory))
        let leaving = domain.macs.filter { mac in sw.vms.entry(mac: mac).map { hostPorts.contains($0.port) } ?? false }
        if !leaving.isEmpty { sw.dataplane.withdrawStations(leaving) }
    }

    // MARK: Verification

    /// Judges the VMs `macs` (all the switch knows when nil) and acts on changed verdicts.
    private func evaluate(_ macs: Set<MACAddress>?) {
        guard let sw, isActive else { return }
        let s = sw.state.withLock { ($0.virt, $0.vmManager, $0.hostname) }
        let (virt, settings, hostname) = s
        let inventory = state.withLock { $0.inventory }
        // Which hosts are behind each port, worked out once for the pass, not once per VM.
        var behind: [Int: Set<String>] = [:]
        for (host, ports) in portsByHost(settings: settings, inventory: inventory, neighbors: Self.neighborNames(sw)) {
            for port in ports { behind[port, default: []].insert(host) }
        }
        let entries: [VMEntry] = macs.map { $0.compactMap { sw.vms.entry(mac: $0) } } ?? sw.vms.entries()
        var gone = Set(macs ?? Set(state.withLock { $0.verdicts.keys }))
        var changes: [(VMEntry, VMVerdict, previous: VMVerdict?)] = []
        var publishing = Set<String>()
        state.withLock { state in
            for entry in entries {
                gone.remove(entry.mac)
                let verdict: VMVerdict = virt.vmcheck.trustedPorts.contains(entry.port) ? .trusted
                    : inventory.verdict(for: entry.mac, behind: behind[entry.port] ?? [])
                let previous = state.verdicts[entry.mac]
                if case .verified(_, let uuid) = verdict { publishing.insert(uuid) }
                if case .verified(_, let uuid)? = previous?.verdict { publishing.insert(uuid) }
                guard previous?.verdict != verdict || previous?.port != entry.port else { continue }
                state.verdicts[entry.mac] = verdict == .unmanaged ? nil : (entry.port, verdict)
                changes.append((entry, verdict, previous?.verdict))
            }
            for mac in gone { state.verdicts[mac] = nil }
        }
        for (entry, verdict, previous) in changes { act(on: entry, verdict, previous: previous, sw: sw, virt: virt) }
        if settings.publish { publishMetadata(publishing, sw: sw, hostname: hostname) }
    }

    /// Logs a changed verdict of a VM whose group validates advanced, and applies the action.
    private func act(on entry: VMEntry, _ verdict: VMVerdict, previous: VMVerdict?, sw: VMreadySwitch, virt: VirtConfiguration) {
        guard let group = sw.vms.group(of: entry.mac), virt.groups[group]?.validation == .advanced else { return }
        let port = entry.bridgePort
        switch verdict {
        case .spoofed(let host):
            sw.eventLog.log(.warning, "vmcheck",
                            "suspected spoof: VM \(entry.mac) on port \(port), but VM manager \(host) runs it elsewhere", at: sw.clockDate,
                            mac: entry.mac, port: port.description)
            switch virt.vmcheck.advancedAction {
            case .log:
                break
            case .link:
                try? sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                    guard s.errDisabled[entry.port] == nil else { return }
                    s.errDisabled[entry.port] = "vmcheck advanced"
                    sw.eventLog.log(.error, "vmcheck", "port \(entry.port) err-disabled (vmcheck action advanced link)", at: sw.clockDate,
                                    mac: entry.mac, port: String(entry.port))
                }
            case .acl:
                try? sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                    let block = VMCheckBlock(port: entry.port, mac: entry.mac)
                    guard !s.vmcheckBlocks.contains(block) else { return }
                    guard s.vmcheckBlocks.count < s.virt.vmcheck.aclsMax else {
                        state.withLock { $0.blocksRefused += 1 }
                        sw.eventLog.log(.warning, "vmcheck", "VM \(entry.mac) not blocked on port \(entry.port): "
                                        + "vmcheck acls max \(s.virt.vmcheck.aclsMax) reached", at: sw.clockDate)
                        return
                    }
                    s.vmcheckBlocks.append(block)
                    sw.eventLog.log(.error, "vmcheck", "VM \(entry.mac) blocked on port \(entry.port) (vmcheck action advanced acl)", at: sw.clockDate,
                                    mac: entry.mac, port: String(entry.port))
                }
            }
        case .unverified:
            sw.eventLog.log(.notice, "vmcheck", "VM \(entry.mac) on port \(port) is unknown to the VM managers (unverified)", at: sw.clockDate,
                            mac: entry.mac, port: port.description)
        case .verified(let host, _):
            if case .spoofed? = previous {
                sw.eventLog.log(.notice, "vmcheck", "VM \(entry.mac) on port \(port) verified: \(host) runs it", at: sw.clockDate,
                                mac: entry.mac, port: port.description)
            }
        case .stale, .trusted, .unmanaged:
            break
        }
    }

    // MARK: Port visibility

    /// Writes where each domain's verified interfaces are into its metadata (vm-manager.md,
    /// "Port visibility"), when that changed; a domain none of whose interfaces verifies any
    /// more loses the element.
    private func publishMetadata(_ uuids: Set<String>, sw: VMreadySwitch, hostname: String) {
        guard !uuids.isEmpty else { return }
        var writes: [(any VMManagerConnection, String, String?)] = []
        state.withLock { state in
            for uuid in uuids.sorted() {
                var host: String?
                var interfaces: [String] = []
                for (mac, judged) in state.verdicts.sorted(by: { $0.key < $1.key }) {
                    guard case .verified(let h, uuid) = judged.verdict, let vm = sw.vms.entry(mac: mac) else { continue }
                    host = h
                    let group = sw.vms.group(of: mac).map(String.init) ?? ""
                    interfaces.append("<interface mac=\"\(mac)\" port=\"\(vm.bridgePort)\" vlan=\"\(vm.vlan)\" group=\"\(group)\" verdict=\"verified\"/>")
                }
                let xml = interfaces.isEmpty ? nil
                    : "<switchport switch=\"\(Self.escaped(hostname))\">" + interfaces.joined() + "</switchport>"
                guard state.metadata[uuid] != xml else { continue }
                let owner = host ?? state.inventory.hosts.first { $0.value.domains[uuid] != nil }?.key
                guard let owner, let connection = state.connections[owner]?.connection else { continue }
                state.metadata[uuid] = xml
                writes.append((connection, uuid, xml))
            }
        }
        for (connection, uuid, xml) in writes { connection.publish(uuid: uuid, metadata: xml) }
    }

    /// Text safe inside an XML attribute.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

extension VMreadySwitch {
    /// Takes a report as a VM manager connection delivers it (queued; `settle` waits for it).
    public func receive(_ report: VMManagerEvent) { vmManager.deliver(report) }
}
