import Dataplane

/// The VM-awareness state of the switch: which VMs sit behind which server
/// ports, and how they moved.
///
/// Plugged into the dataplane as its `LearningObserver`, it sees one event per
/// newly learned or moved station — never one per frame — and does one
/// dictionary lookup for it, so detection costs forwarding nothing on the
/// steady-state path. The forwarding thread writes and the CLI reads, so the
/// state sits behind a lock held only for that lookup or for a copy.
public final class VMTable: LearningObserver, Sendable {
    /// Default bound on `migrations()`.
    public static let defaultMigrationLimit = 256
    /// Default bound on each entry's `moves`.
    public static let defaultMovesPerVM = 16

    private let state: ThreadLock<VMTableState>

    /// Creates a table detecting VMs by `ouiTable` on `serverPorts`.
    public init(ouiTable: OUITable = .defaults, serverPorts: Set<Int> = [],
                migrationLimit: Int = VMTable.defaultMigrationLimit,
                movesPerVM: Int = VMTable.defaultMovesPerVM) {
        state = ThreadLock(VMTableState(ouiTable: ouiTable, serverPorts: serverPorts,
                                         migrationLimit: max(1, migrationLimit), movesPerVM: max(1, movesPerVM)))
    }

    // MARK: Learning hook

    /// Called on the forwarding thread for each new or moved station.
    public func stationLearned(_ event: LearningEvent) { observe(event) }

    /// Applies one learning event: a VM-OUI MAC on a server port becomes (or
    /// updates) a VM entry; a known VM on another port records a move.
    public func observe(_ event: LearningEvent) {
        state.withLock { $0.observe(event) }
    }

    // MARK: Configuration

    /// The OUI table in use.
    public var ouiTable: OUITable { state.withLock { $0.ouiTable } }

    /// Replaces the OUI table; VMs whose OUI is no longer listed are forgotten.
    public func setOUITable(_ table: OUITable) { state.withLock { $0.setOUITable(table) } }

    /// The server ports (`system server-ports port LIST`).
    public var serverPorts: Set<Int> { state.withLock { $0.serverPorts } }

    /// Replaces the server ports. Known VMs stay known: a port leaving the set
    /// only stops new detections there.
    public func setServerPorts(_ ports: Set<Int>) { state.withLock { $0.serverPorts = ports } }

    /// Forgets every VM and move, and restarts indexes at 0 (`no virt enable`).
    public func clear() {
        state.withLock { state in
            state.vms = [:]
            state.migrations = []
            state.nextIndex = 0
        }
    }

    // MARK: Reading

    /// Every known VM, sorted by MAC (the order of `show virt vm`).
    public func entries() -> [VMEntry] {
        let vms = state.withLock { Array($0.vms.values) }
        // Sort outside the lock so the forwarding thread waits only for the copy.
        return vms.sorted { $0.mac < $1.mac }
    }

    /// The VM with `mac`, if known.
    public func entry(mac: MACAddress) -> VMEntry? { state.withLock { $0.vms[mac] } }

    /// The VM with `index`, if known.
    public func entry(index: Int) -> VMEntry? {
        state.withLock { $0.vms.values.first { $0.index == index } }
    }

    /// Number of known VMs.
    public var count: Int { state.withLock { $0.vms.count } }

    /// The most recent moves of all VMs, oldest first (`show virt migrations`).
    public func migrations() -> [VMMove] { state.withLock { $0.migrations } }
}
