import CNetSNMP
import Console
import Foundation
import Synchronization

/// The switch's AgentX subagent (net-snmp's agent library). The library is one per
/// process, is not thread-safe and cannot be initialised twice, so this is one object per
/// process with one thread that makes every net-snmp call; the switch that last enabled it
/// (in production the only one) is what it serves. Requests are answered from a snapshot
/// (`SNMPSnapshot`) taken at most once a second, on demand: never from the switch's state
/// under its lock, never on the forwarding thread.
final class SNMPSubagent: Sendable {
    static let shared = SNMPSubagent()

    /// How often the library pings snmpd, and retries while snmpd is away.
    static let pingSeconds: Int32 = 2
    /// How long answers reuse one snapshot (and net-snmp's cache keeps a table's rows).
    static let snapshotLifetime: Duration = .seconds(1)

    struct Status: Sendable {
        /// The socket while enabled.
        var socket: String?
        var connected = false
        /// Values (varbinds) answered since the switch started.
        var valuesServed: UInt64 = 0
        /// Times the subagent (re)connected to the master.
        var connects = 0
    }

    /// Who is served: the owning switch's snapshot and event log.
    private struct Owner: @unchecked Sendable {
        // A weak reference: a switch that is gone is simply not served.
        weak var sw: VMreadySwitch?
        let id: ObjectIdentifier
    }

    private let owner = Mutex<Owner?>(nil)
    private let wanted = Mutex<String?>(nil)
    private let statusStore = Mutex(Status())
    private let started = Atomic(false)
    private let wake = WakePipe.open()
    private let snapshotCache = Mutex<(snapshot: SNMPSnapshot, taken: ContinuousClock.Instant)?>(nil)
    /// Written and read on the agent thread only (registration ids to tables).
    private let tables = Mutex<[Int: SNMPTable]>([:])

    /// The subagent's status when it serves `sw`, nil when it serves another switch of
    /// this process (or none).
    func status(for sw: VMreadySwitch) -> Status? {
        guard owner.withLock({ $0?.id }) == ObjectIdentifier(sw) else { return nil }
        return statusStore.withLock { $0 }
    }

    /// Follows `sw`'s configuration: `socket` nil stops the subagent if `sw` runs it; a
    /// socket (re)starts it for `sw`. Never waits: the agent thread picks it up.
    func configure(for sw: VMreadySwitch, socket: String?) {
        let id = ObjectIdentifier(sw)
        let changed = owner.withLock { (current: inout Owner?) -> Bool in
            if socket != nil {
                current = Owner(sw: sw, id: id)
                return true
            }
            guard current?.id == id else { return false }
            current = nil
            return true
        }
        guard changed else { return }
        let before = wanted.withLock { value in
            defer { value = socket }
            return value
        }
        guard before != socket else { return }
        if socket == nil { sw.eventLog.log(.notice, "snmp", "AgentX subagent stopped", at: sw.clockDate) }
        snapshotCache.withLock { $0 = nil }
        if socket != nil, !started.exchange(true, ordering: .acquiringAndReleasing) {
            Thread.detachNewThread { [self] in run() }
        }
        wakeUp()
    }

    private func wakeUp() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    // MARK: The agent thread

    private func run() {
        var applied: String?
        var initialised = false
        var wasConnected = false
        while true {
            let want = wanted.withLock { $0 }
            if want != applied {
                if applied != nil { cnetsnmp_disconnect() }
                if let want {
                    if !initialised {
                        initialised = true
                        _ = cnetsnmp_init(want, Self.pingSeconds, snmpLoadTable, snmpLibraryLog)
                        register()
                    }
                    cnetsnmp_connect(want)
                    log(.info, "AgentX subagent started: master at \(want)")
                }
                applied = want
                wasConnected = false
                statusStore.withLock { $0.socket = want; $0.connected = false }
            }
            let served = cnetsnmp_poll(wake.read, 500)
            let connected = applied != nil && cnetsnmp_is_connected() != 0
            if connected != wasConnected, let socket = applied {
                log(connected ? .info : .warning, connected ? "AgentX subagent connected to \(socket)"
                    : "AgentX master at \(socket) went away: reconnecting every \(Self.pingSeconds) seconds")
                wasConnected = connected
            }
            statusStore.withLock { status in
                status.valuesServed += UInt64(max(0, served))
                if connected, !status.connected { status.connects += 1 }
                status.connected = connected
            }
        }
    }

    /// Registers every table with the library (once: registrations outlive disconnections
    /// and are sent again on each connection).
    private func register() {
        var registered: [Int: SNMPTable] = [:]
        for (id, table) in SNMPTable.all.enumerated() {
            let oid = table.oid
            let columns = table.columns
            let ok: Bool
            switch table.kind {
            case .scalars:
                ok = cnetsnmp_register_scalars(Int32(id), table.name, oid, oid.count, columns, columns.count, 1) != nil
            case .table(let index):
                let types = index.map(Self.tag)
                ok = cnetsnmp_register_table(Int32(id), table.name, oid, oid.count, types, types.count,
                                             columns, columns.count, 1) != nil
            }
            if ok { registered[id] = table } else { log(.error, "Cannot register \(table.name) with net-snmp") }
        }
        tables.withLock { $0 = registered }
    }

    private static func tag(_ type: SNMPTable.IndexType) -> UInt8 {
        switch type {
        case .integer: UInt8(CNETSNMP_INTEGER)
        case .gauge: UInt8(CNETSNMP_GAUGE)
        case .timeticks: UInt8(CNETSNMP_TIMETICKS)
        case .impliedOctets: UInt8(CNETSNMP_IMPLIED_OCTET_STR)
        }
    }

    /// The snapshot to answer from: the last one while it is fresh, else a new one from the
    /// owning switch (its lock taken and released inside; nothing of net-snmp's held).
    private func snapshot() -> SNMPSnapshot? {
        let now = ContinuousClock.now
        if let cached = snapshotCache.withLock({ $0 }), now - cached.taken < Self.snapshotLifetime {
            return cached.snapshot
        }
        guard let sw = owner.withLock({ $0?.sw }) else { return nil }
        let fresh = sw.snmpSnapshot()
        snapshotCache.withLock { $0 = (fresh, now) }
        return fresh
    }

    /// Fills one of net-snmp's tables (its cache expired and a request needs it).
    fileprivate func load(table id: Int, into target: OpaquePointer?) {
        guard let target, let table = tables.withLock({ $0[id] }), let snapshot = snapshot() else { return }
        let rows = table.rows(snapshot)
        switch table.kind {
        case .scalars:
            for row in rows {
                for (subid, value) in row.columns { Self.withValue(value) { cnetsnmp_set_scalar(target, subid, $0, $1, $2) } }
            }
        case .table:
            for row in rows {
                guard let made = cnetsnmp_row_new() else { return }
                for index in row.index { Self.withIndex(index) { cnetsnmp_row_add_index(made, $0, $1, $2) } }
                for (column, value) in row.columns {
                    Self.withValue(value) { cnetsnmp_row_set_column(made, column, $0, $1, $2) }
                }
                _ = cnetsnmp_table_add_row(target, made)
            }
        }
    }

    /// Hands `value` to C as net-snmp stores it: integers as a C long, octets as they are.
    private static func withValue(_ value: SNMPValue, _ body: (UInt8, UnsafeRawPointer?, Int) -> Void) {
        switch value {
        case .integer(let n): integer(CNETSNMP_INTEGER, n, body)
        case .gauge(let n): integer(CNETSNMP_GAUGE, Int(n), body)
        case .counter32(let n): integer(CNETSNMP_COUNTER, Int(n), body)
        case .timeticks(let n): integer(CNETSNMP_TIMETICKS, Int(n), body)
        case .counter64(let n):
            withUnsafeBytes(of: n) { body(UInt8(CNETSNMP_COUNTER64), $0.baseAddress, $0.count) }
        case .octets(let octets):
            octets.withUnsafeBytes { body(UInt8(CNETSNMP_OCTET_STR), $0.baseAddress, $0.count) }
        case .oid(let subids):
            // net-snmp's oid is a C unsigned long.
            let wide = subids.map { UInt($0) }
            wide.withUnsafeBytes { body(UInt8(CNETSNMP_OBJECT_ID), $0.baseAddress, $0.count) }
        }
    }

    private static func withIndex(_ index: SNMPIndexValue, _ body: (UInt8, UnsafeRawPointer?, Int) -> Void) {
        switch index {
        case .integer(let n): integer(CNETSNMP_INTEGER, n, body)
        case .gauge(let n): integer(CNETSNMP_GAUGE, Int(n), body)
        case .timeticks(let n): integer(CNETSNMP_TIMETICKS, Int(n), body)
        case .impliedOctets(let octets):
            octets.withUnsafeBytes { body(UInt8(CNETSNMP_IMPLIED_OCTET_STR), $0.baseAddress, $0.count) }
        }
    }

    private static func integer(_ tag: Int, _ n: Int, _ body: (UInt8, UnsafeRawPointer?, Int) -> Void) {
        var long = CLong(n)
        withUnsafeBytes(of: &long) { body(UInt8(tag), $0.baseAddress, $0.count) }
    }

    // MARK: Logging

    fileprivate func log(_ severity: EventLog.Severity, _ message: String) {
        guard let sw = owner.withLock({ $0?.sw }) else { return }
        sw.eventLog.log(severity, "snmp", message, at: sw.clockDate)
    }
}

/// net-snmp's cache load hook, on the agent thread: a plain C function, as the library
/// calls it.
private func snmpLoadTable(_ id: Int32, _ table: OpaquePointer?) {
    SNMPSubagent.shared.load(table: Int(id), into: table)
}

/// net-snmp's log: its warnings and errors go to the event log (its notices repeat what
/// the subagent logs itself).
private func snmpLibraryLog(_ priority: Int32, _ message: UnsafePointer<CChar>?) {
    guard let message, priority <= LOG_WARNING else { return }
    let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { return }
    SNMPSubagent.shared.log(priority <= LOG_ERR ? .error : .warning, "net-snmp: " + text)
}
