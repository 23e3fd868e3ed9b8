import Console
import Dataplane
import Dispatch
import Foundation
import Frames
import PolicyDB
import Synchronization
import Virtualization

/// The switch's side of the policy database (policy-db.md): one client, its reports taken
/// in on a serial queue of its own, the answers cached per VM, applied to the VM layer as
/// they come, and where this switch's VMs are written back. Nothing here runs on the
/// forwarding thread or makes the CLI wait: until an answer comes, a VM is unassigned; while
/// the database is down, the last answers stay in force (stale) and new VMs wait.
final class PolicyDBService: Sendable {
    /// A VM's answer: its profile, or none (no assignment in the database).
    struct Answer: Sendable {
        var profile: PolicyProfile?
        /// Given before the connection was last lost, and not asked again since.
        var stale: Bool
    }

    /// What the client runs with, to know when the configuration changed it.
    struct Target: Equatable {
        let configuration: PolicyDBConfiguration
        let switchID: String
    }

    struct State {
        var client: PolicyDBClient?
        var target: Target?
        /// Counts clients started: a report of one the switch has since replaced is dropped.
        var generation = 0
        var connected = false
        /// Answers by VM MAC, at most `cacheLimit`.
        var cache: [MACAddress: Answer] = [:]
        /// Asked and not answered yet.
        var waiting: Set<MACAddress> = []
        /// Answers to hand to the switch in the next pass.
        var pending: Set<MACAddress> = []
        var flushScheduled = false
        /// Asked when a query failed and not answered: asked again after `retryInterval`.
        var retrying: Set<MACAddress> = []
        var retryScheduled = false
        /// Where this switch last wrote each VM to be: (port, VLAN).
        var recorded: [MACAddress: (port: String, vlan: UInt16)] = [:]
        /// Recorded VMs whose MAC the last sweep did not find in the MAC table.
        var missing: Set<MACAddress> = []
        /// The last problem logged per database profile, so that each is logged once.
        var problems: [String: String] = [:]
        var lastNotify: Date?
        var badRows = 0
    }

    /// As many answers as the VM table holds VMs at most.
    static let cacheLimit = VirtConfiguration.vmLimitRange.upperBound
    /// How often the switch drops the location rows of VMs whose MAC left it.
    static let sweepInterval: DispatchTimeInterval = .seconds(30)
    /// How long after a failed query (a statement timeout: a lock held) its VMs are asked again.
    static let retryInterval: DispatchTimeInterval = .seconds(1)

    private let queue = DispatchQueue(label: "vmready.policy-db")
    private let owner = Mutex<VMreadySwitchReference?>(nil)
    let state = Mutex(State())
    private let sweeping = Atomic<Bool>(false)

    func attach(to sw: VMreadySwitch) {
        owner.withLock { $0 = VMreadySwitchReference(sw) }
    }

    private var sw: VMreadySwitch? { owner.withLock { $0?.value } }

    // MARK: Triggers (any thread; each only queues)

    /// The configuration changed: the database, the switch's name, groups.
    func configurationChanged() { queue.async { [self] in reconcile() } }

    /// VMs were detected, moved, announced by VDP or pre-provisioned.
    func vmsChanged(_ macs: [MACAddress]) {
        guard !macs.isEmpty, state.withLock({ $0.client != nil }) else { return }
        queue.async { [self] in
            for mac in macs {
                record(mac)
                resolve(mac)
            }
        }
    }

    /// Waits until everything queued so far is handled (tests, `show`).
    func drain() { queue.sync {} }

    /// Closes the connection (the switch stops).
    func stop() {
        let client = state.withLock { state in
            defer { state.client = nil; state.target = nil }
            return state.client
        }
        client?.stop()
    }

    /// Runs `body` with the client, when there is one (`show virt dc vm`).
    func withClient<T>(_ body: (PolicyDBClient) -> T) -> T? {
        guard let client = state.withLock({ $0.client }) else { return nil }
        return body(client)
    }

    // MARK: The connection

    private func reconcile() {
        guard let sw else { return }
        let (configuration, hostname) = sw.state.withLock { ($0.policyDB, $0.hostname) }
        let target = configuration.uri == nil ? nil
            : Target(configuration: configuration, switchID: configuration.switchID ?? hostname)
        let (changed, old) = state.withLock { state -> (Bool, PolicyDBClient?) in
            guard state.target != target else { return (false, nil) }
            let old = state.client
            // A new database or a new name: nothing the old connection answered holds.
            let generation = state.generation + 1
            state = State()
            state.target = target
            state.generation = generation
            return (true, old)
        }
        guard changed else { return }
        if let old {
            old.stop()
            try? sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                s.policyDBAssignments = [:]
                s.policyDBVSITypes = [:]
            }
            sw.eventLog.log(.notice, "policy-db", "Policy database connection closed", at: sw.clockDate)
        }
        guard let target, let uri = target.configuration.uri else { return }
        let settings = PolicyDBSettings(uri: uri, passwordFile: target.configuration.passwordFile,
                                        switchID: target.switchID, hostname: hostname)
        let generation = state.withLock { $0.generation }
        let client = PolicyDBClient(settings: settings) { [weak self] event in self?.deliver(event, from: generation) }
        state.withLock { $0.client = client }
        client.start()
        sw.eventLog.log(.info, "policy-db", "Connecting to the policy database as switch \(target.switchID)", at: sw.clockDate)
        scheduleSweep()
    }

    private func deliver(_ event: PolicyDBEvent, from generation: Int) {
        queue.async { [self] in
            guard state.withLock({ $0.generation == generation }) else { return }
            handle(event)
        }
    }

    private func handle(_ event: PolicyDBEvent) {
        guard let sw else { return }
        let now = sw.clockDate
        switch event {
        case .connected(let version):
            state.withLock { state in
                state.connected = true
                // Everything is asked again: what changed while the switch was away is not known.
                for mac in state.cache.keys { state.cache[mac]?.stale = true }
                state.waiting = []
            }
            sw.eventLog.log(.notice, "policy-db", "Policy database up (schema version \(version))", at: now)
            for entry in sw.vms.entries() { resolve(entry.mac) }
        case .down(let reason):
            let wasUp = state.withLock { state in
                defer { state.connected = false }
                for mac in state.cache.keys { state.cache[mac]?.stale = true }
                state.waiting = []
                return state.connected
            }
            sw.eventLog.log(wasUp ? .warning : .notice, "policy-db",
                            "Policy database down: \(reason); retrying, cached answers stay in force", at: now)
        case .resolved(let mac, let profile):
            state.withLock { state in
                state.waiting.remove(mac)
                if state.cache[mac] == nil, state.cache.count >= Self.cacheLimit, let victim = state.cache.keys.first {
                    state.cache[victim] = nil
                }
                state.cache[mac] = Answer(profile: profile, stale: false)
                state.pending.insert(mac)
            }
            scheduleFlush()
        case .vsiTypes(let rows, let profiles):
            var types: [EVBConfiguration.VSITypeKey: PolicyProfile] = [:]
            for row in rows {
                guard let profile = profiles[row.profile] else { continue }
                types[EVBConfiguration.VSITypeKey(id: row.typeID, version: row.version)] = profile
            }
            try? sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.policyDBVSITypes = types }
        case .changed:
            state.withLock { $0.lastNotify = now }
            // Which VMs a change touches is the database's to say; asking again for the
            // VMs this switch has costs one query each and misses nothing.
            for entry in sw.vms.entries() { resolve(entry.mac, again: true) }
        case .badRow(let what):
            state.withLock { $0.badRows += 1 }
            sw.eventLog.log(.warning, "policy-db", "Bad row skipped: \(what)", at: now)
        case .queryFailed(let why):
            // The VMs asked about keep their last answer meanwhile, and are asked again: a VM that
            // appeared during a lock gets its profile once the lock goes, not at its next move.
            let unanswered = state.withLock { state in
                defer { state.waiting = [] }
                return state.waiting
            }
            scheduleRetry(unanswered)
            sw.eventLog.log(.warning, "policy-db", "Query failed: \(why); answers stay as they were", at: now)
        }
    }

    // MARK: Resolution

    /// Asks the database for `mac`'s profile unless a local group claims the VM (a local
    /// group always wins) or a fresh answer is cached (`again`: asked even so).
    private func resolve(_ mac: MACAddress, again: Bool = false) {
        guard let sw, let client = state.withLock({ $0.client }) else { return }
        if let group = sw.vms.group(of: mac), VMGroup.numberRange.contains(group) { return }
        let ask: Bool = state.withLock { state in
            guard state.connected else { return false }
            if !again, let answer = state.cache[mac], !answer.stale { return false }
            return state.waiting.insert(mac).inserted
        }
        guard ask else { return }
        let identity = sw.vmManager.identity(of: mac)
        client.resolve(mac: mac, name: identity?.name, uuid: identity?.uuid)
    }

    /// Asks again for `macs` after `retryInterval`, once however many queries failed
    /// meanwhile: while a lock is held, each attempt costs the client one statement timeout.
    private func scheduleRetry(_ macs: Set<MACAddress>) {
        guard !macs.isEmpty else { return }
        let first = state.withLock { state in
            state.retrying.formUnion(macs)
            defer { state.retryScheduled = true }
            return !state.retryScheduled
        }
        guard first else { return }
        queue.asyncAfter(deadline: .now() + Self.retryInterval) { [self] in
            let macs = state.withLock { state in
                defer {
                    state.retrying = []
                    state.retryScheduled = false
                }
                return state.retrying
            }
            guard let sw else { return }
            // A VM that left meanwhile is not asked about.
            for mac in macs.sorted() where sw.vms.entry(mac: mac) != nil { resolve(mac, again: true) }
        }
    }

    private func scheduleFlush() {
        let first = state.withLock { state in
            defer { state.flushScheduled = true }
            return !state.flushScheduled
        }
        if first { queue.async { [self] in flush() } }
    }

    /// Hands the answers that came since the last pass to the switch in one change: a burst
    /// of arrivals is one publication, not one each.
    private func flush() {
        guard let sw else { return }
        let answers: [(MACAddress, PolicyProfile?)] = state.withLock { state in
            defer {
                state.pending = []
                state.flushScheduled = false
            }
            return state.pending.map { ($0, state.cache[$0]?.profile) }
        }
        var problems: [String: String] = [:]
        try? sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            for (mac, profile) in answers {
                guard let profile else {
                    s.policyDBAssignments[mac] = nil
                    continue
                }
                if let problem = s.policyDBProblem(profile) {
                    problems[profile.name] = problem
                    s.policyDBAssignments[mac] = nil
                } else {
                    s.policyDBAssignments[mac] = profile
                }
            }
        }
        // Their VLAN may have changed with the answer.
        for (mac, _) in answers { record(mac) }
        let now = sw.clockDate
        let fresh = state.withLock { state in
            let fresh = problems.filter { state.problems[$0.key] != $0.value }
            state.problems.merge(problems) { $1 }
            return fresh
        }
        for (_, problem) in fresh.sorted(by: { $0.key < $1.key }) {
            sw.eventLog.log(.warning, "policy-db", "Not applied: \(problem)", at: now)
        }
    }

    // MARK: Locations

    /// Writes where `mac` is now when that changed since the last write. A VM last seen
    /// behind a port that is not a server port (the trunk towards the switch it migrated to)
    /// is no longer this switch's: its row is dropped (if still ours), never claimed.
    private func record(_ mac: MACAddress) {
        guard let sw, let entry = sw.vms.entry(mac: mac),
              let (client, switchID) = state.withLock({ state in state.client.map { ($0, state.target!.switchID) } })
        else { return }
        if sw.state.withLock({ VirtReport.isRemote(entry, $0) }) {
            let wasRecorded = state.withLock { $0.recorded.removeValue(forKey: mac) != nil }
            if wasRecorded { client.removeLocation(mac: mac) }
            return
        }
        let port = entry.bridgePort.description
        // The VLAN its policy puts it in (a database profile, a local group), else where it was seen.
        let vlan: UInt16 = sw.state.withLock { s in
            if let profile = s.policyDBAssignments[mac] { return profile.vlan }
            if let number = sw.vms.group(of: mac), let group = s.virt.groups[number],
               let vlan = s.virt.effectiveVLAN(of: group) { return vlan }
            return entry.vlan
        }
        // Queued even while the database is down: the client keeps locations and writes
        // them again when it is back.
        let changed = state.withLock { state in
            if let last = state.recorded[mac], last.port == port, last.vlan == vlan { return false }
            state.recorded[mac] = (port, vlan)
            return true
        }
        guard changed else { return }
        client.recordLocation(VMLocation(mac: mac, name: sw.vmManager.identity(of: mac)?.name, switchID: switchID,
                                         port: port, vlan: vlan, since: sw.clockDate))
    }

    /// Every `sweepInterval`: VMs whose MAC aged out of the MAC table have left this switch,
    /// and their rows go (the database keeps a row another switch wrote since). Missing from
    /// two sweeps in a row: a VLAN change (a profile edited in the database) flushes the VM's
    /// MAC until its next frame, and a VM that stays must keep its row.
    private func scheduleSweep() {
        guard !sweeping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.asyncAfter(deadline: .now() + Self.sweepInterval) { [self] in
            sweeping.store(false, ordering: .releasing)
            guard let sw, let client = state.withLock({ $0.client }) else { return }
            let present = Set(sw.dataplane.macEntries().map(\.mac))
            let gone: [MACAddress] = state.withLock { state in
                let absent = Set(state.recorded.keys.filter { !present.contains($0) })
                let gone = absent.intersection(state.missing)
                state.missing = absent.subtracting(gone)
                for mac in gone { state.recorded[mac] = nil }
                return gone.sorted()
            }
            for mac in gone { client.removeLocation(mac: mac) }
            scheduleSweep()
        }
    }
}
