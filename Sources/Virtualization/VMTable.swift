import Frames
import SwitchTypes

/// The VM-awareness state of the switch: which VMs sit behind which server ports, how
/// they moved, and the policy each carries.
///
/// Fed on the control side with the learning events the forwarding thread queued (the
/// switch hands them over through a lock-free ring, so the forwarding thread never takes
/// this lock), and told of every configuration change. Each step costs what it touches;
/// the policy changes it produces go to `policySink` under the lock, so the dataplane
/// receives them in the order they were decided, whichever thread decided them.
public final class VMTable: Sendable {
    /// Default bound on `migrations()`.
    public static let defaultMigrationLimit = 256
    /// Default bound on each entry's `moves`.
    public static let defaultMovesPerVM = 16

    private let state: ThreadLock<VMTableState>
    private let sink = ThreadLock<(@Sendable (VMPolicyChanges) -> Void)?>(nil)

    /// Creates a table detecting VMs by `ouiTable` on `serverPorts`.
    public init(ouiTable: OUITable = .defaults, serverPorts: Set<Int> = [],
                migrationLimit: Int = VMTable.defaultMigrationLimit,
                movesPerVM: Int = VMTable.defaultMovesPerVM) {
        state = ThreadLock(VMTableState(ouiTable: ouiTable, serverPorts: serverPorts,
                                         migrationLimit: max(1, migrationLimit), movesPerVM: max(1, movesPerVM)))
    }

    /// Sets where policy changes go (the dataplane). Called under the table's lock, so it
    /// must only hand off, never wait.
    public func setPolicySink(_ body: (@Sendable (VMPolicyChanges) -> Void)?) { sink.withLock { $0 = body } }

    // MARK: Learning

    /// Applies stations learned or moved, oldest first: a VM-OUI MAC on a server port
    /// becomes a VM entry (unless the table is full), a known VM on another port records
    /// a move, and the VMs concerned are re-resolved.
    public func apply(_ stations: some Sequence<LearningEvent>) -> VMBatch {
        state.withLock { state in
            var batch = VMBatch()
            for station in stations { state.observe(station, into: &batch) }
            send(batch.changes)
            return batch
        }
    }

    /// The group holding `mac`'s VM, if any.
    public func group(of mac: MACAddress) -> Int? { state.withLock { $0.resolver.groupOf[mac] } }

    /// A VM manager reports these VMs running behind `port` (pre-provisioning): each known
    /// one elsewhere moves there now; returns the moves.
    public func relocate(_ macs: [MACAddress], to port: Int, at time: Timestamp) -> [VMMove] {
        state.withLock { state in macs.compactMap { state.relocate($0, to: port, at: time) } }
    }

    /// VSIs the hypervisor associated by VDP, each known from now on (see `VMTableState.announce`).
    public func announce(_ vsis: [(mac: MACAddress, port: Int, vlan: UInt16, vendor: String)], at time: Timestamp) -> VMBatch {
        state.withLock { state in
            var batch = VMBatch()
            for vsi in vsis { state.announce(vsi.mac, port: vsi.port, vlan: vsi.vlan, vendor: vsi.vendor, at: time, into: &batch) }
            send(batch.changes)
            return batch
        }
    }

    // MARK: Configuration

    /// Adopts the VMready configuration: OUI table (VMs no longer listed are forgotten),
    /// server ports, enabled (off forgets every VM), the VM limit, validation's trusted and
    /// down ports, and the groups, profiles and limits, re-resolving what the change touched.
    /// - Parameter vlans: the VLANs that exist (a group's policy waits for its VLAN).
    /// - Returns: members that came to name a VM another group holds.
    @discardableResult
    public func reconfigure(_ configuration: VirtConfiguration, vlans: Set<UInt16>,
                            trustedPorts: Set<Int>, downPorts: Set<Int>) -> [VMMemberConflict] {
        state.withLock { state in
            if state.enabled != configuration.enabled {
                state.enabled = configuration.enabled
                if !configuration.enabled { state.clear() }
            }
            if state.ouiTable != configuration.ouiTable {
                state.ouiTable = configuration.ouiTable
                state.forgetVMs(notIn: configuration.ouiTable)
            }
            state.serverPorts = configuration.serverPorts
            state.limit = configuration.vmLimit
            state.trustedPorts = trustedPorts
            state.downPorts = downPorts
            var changes = VMPolicyChanges()
            state.resolver.reconfigure(configuration, vlans: vlans, vms: state.vms, into: &changes)
            send(changes)
            return changes.newConflicts
        }
    }

    /// Forgets every VM and move, and restarts indexes at 0.
    public func clear() {
        state.withLock { state in
            state.clear()
            var changes = VMPolicyChanges()
            state.resolver.rebuild(vms: state.vms, into: &changes)
            send(changes)
        }
    }

    private func send(_ changes: VMPolicyChanges) {
        guard !changes.policies.isEmpty || !changes.staleEntries.isEmpty else { return }
        sink.withLock { $0 }?(changes)
    }

    // MARK: Reading

    /// The OUI table in use.
    public var ouiTable: OUITable { state.withLock { $0.ouiTable } }

    /// The server ports.
    public var serverPorts: Set<Int> { state.withLock { $0.serverPorts } }

    /// Every known VM, sorted by MAC (the order of `show virt vm`).
    public func entries() -> [VMEntry] {
        let vms = state.withLock { Array($0.vms.byMAC.values) }
        return vms.sorted { $0.mac < $1.mac }
    }

    /// The VM with `mac`, if known.
    public func entry(mac: MACAddress) -> VMEntry? { state.withLock { $0.vms[mac] } }

    /// The VM with `index`, if known.
    public func entry(index: Int) -> VMEntry? { state.withLock { $0.vms.vm(index: index) } }

    /// The VM an IP names (the first detected of those claiming it), if any.
    public func entry(ip: IPv4Address) -> VMEntry? { state.withLock { $0.vms.ipOwner(ip) } }

    /// Every reference naming the VM `reference` names now (its MAC, index and owned IP;
    /// empty when it names no known VM), for the one-group-per-VM rule.
    public func references(alike reference: VMReference) -> [VMReference] {
        state.withLock { state in reference.resolve(in: state.vms).map { state.vms.references(to: $0) } ?? [] }
    }

    /// Number of known VMs.
    public var count: Int { state.withLock { $0.vms.count } }

    /// Most VMs the table holds (`virt vm limit`).
    public var limit: Int { state.withLock { $0.limit } }

    /// The counters of `show virt summary`.
    public var statistics: VMTableStatistics { state.withLock { $0.statistics } }

    /// The policy installed for each MAC (tests hold it to `VMPolicyResolution`).
    public var installedPolicies: [MACAddress: StationPolicy] { state.withLock { $0.resolver.policies } }

    /// The group holding each known VM.
    public var groupOf: [MACAddress: Int] { state.withLock { $0.resolver.groupOf } }

    /// How many policies are installed and how many known VMs a group holds, for `show`:
    /// counted under the lock rather than by copying the maps out, since a copy held while
    /// the next detection writes would make that write copy the whole map.
    public var resolvedCounts: (policies: Int, groupedVMs: Int) {
        state.withLock { ($0.resolver.policies.count, $0.resolver.groupOf.count) }
    }

    /// The most recent moves of all VMs, oldest first (`show virt migrations`).
    public func migrations() -> [VMMove] { state.withLock { $0.migrations } }

    /// Moves since the table was last cleared, including those no longer kept.
    public var totalMoves: Int { state.withLock { $0.totalMoves } }
}
