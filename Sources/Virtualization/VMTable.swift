import Frames
import SwitchTypes

/// The VM-awareness state of the switch: which VMs sit behind which server
/// ports, and how they moved.
///
/// Told by the forwarding path (the switch plugs it into the dataplane's learning
/// hook) of each newly learned or moved station — never one per frame — it does one
/// dictionary lookup for it, so detection costs forwarding nothing on the
/// steady-state path. The forwarding thread writes and the CLI reads, so the
/// state sits behind a lock held only for that lookup or for a copy.
public final class VMTable: Sendable {
    /// Default bound on `migrations()`.
    public static let defaultMigrationLimit = 256
    /// Default bound on each entry's `moves`.
    public static let defaultMovesPerVM = 16

    private let state: ThreadLock<VMTableState>
    /// Called (outside the lock, on the forwarding thread) after events were queued.
    private let listener = ThreadLock<(@Sendable () -> Void)?>(nil)

    /// Creates a table detecting VMs by `ouiTable` on `serverPorts`.
    public init(ouiTable: OUITable = .defaults, serverPorts: Set<Int> = [],
                migrationLimit: Int = VMTable.defaultMigrationLimit,
                movesPerVM: Int = VMTable.defaultMovesPerVM) {
        state = ThreadLock(VMTableState(ouiTable: ouiTable, serverPorts: serverPorts,
                                         migrationLimit: max(1, migrationLimit), movesPerVM: max(1, movesPerVM)))
    }

    // MARK: Learning hook

    /// Applies one station learned or moved, on the forwarding thread: a VM-OUI MAC
    /// on a server port becomes (or updates) a VM entry; a known VM on another port
    /// records a move.
    public func observe(_ station: LearningEvent) {
        let posted = state.withLock { state -> Bool in
            let before = state.events.count
            state.observe(station)
            return state.events.count != before
        }
        if posted, let listener = listener.withLock({ $0 }) { listener() }
    }

    // MARK: Events

    /// Sets what to call when events are queued. It runs on the forwarding thread
    /// and must only hand off (e.g. signal a queue), never wait.
    public func setListener(_ body: (@Sendable () -> Void)?) { listener.withLock { $0 = body } }

    /// Takes the queued events, oldest first, and how many were dropped since the last take.
    public func takeEvents() -> (events: [VMEvent], dropped: Int) {
        state.withLock { state in
            defer {
                state.events.removeAll(keepingCapacity: true)
                state.droppedEvents = 0
            }
            return (state.events, state.droppedEvents)
        }
    }

    /// Turns detection on or off (`virt enable`); off also forgets every VM.
    public func setEnabled(_ enabled: Bool) {
        state.withLock { state in
            guard state.enabled != enabled else { return }
            state.enabled = enabled
            if !enabled {
                state.vms = [:]
                state.migrations = []
                state.totalMoves = 0
                state.events = []
                state.nextIndex = 0
            }
        }
    }

    /// What basic validation needs from the configuration: the validated VMs, the
    /// trusted ports, and the ports that are down or err-disabled.
    public func setValidation(validated: Set<MACAddress>, trustedPorts: Set<Int>, downPorts: Set<Int>) {
        state.withLock { state in
            state.validated = validated
            state.trustedPorts = trustedPorts
            state.downPorts = downPorts
        }
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
            state.events = []
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

    /// Moves since the table was last cleared, including those no longer kept.
    public var totalMoves: Int { state.withLock { $0.totalMoves } }
}
