import Foundation
import Synchronization
import Frames
import PolicyDB
import Testing
import TestSupport

/// The database slow (a lock held), killed mid-run, down at boot. The kill and boot tests
/// have a server of their own: they take it down.
@Suite(postgresAvailable)
struct PolicyFaultTests {
    static let web = PolicyProfile(name: "web", vlan: 10)
    static let mac = MACAddress(0x02, 0, 0, 0, 0, 0x42)

    /// Holds `lock` in a transaction from psql until the returned pid is killed; returns once
    /// the lock is granted (asked of pg_locks, bounded).
    func holdLock(_ server: PostgresServer, database: String, _ lock: String, table: String, mode: String) throws -> pid_t {
        let pid = try server.psqlInBackground("BEGIN; \(lock); SELECT pg_sleep(600);", database: database)
        for _ in 0..<3000 {
            let held = try server.psql("""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = '\(table)' AND l.mode = '\(mode)' AND l.granted
                """, database: database)
            if held != "0" { return pid }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        throw PostgresServer.Failure(description: "psql never got its lock")
    }

    func release(_ server: PostgresServer, _ pid: pid_t, database: String) throws {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        // The backend of a killed psql ends its transaction when it notices; end it now.
        try server.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'BEGIN; %pg_sleep%'",
                        database: database)
    }

    func settings(_ server: PostgresServer, uri: String, statementTimeout: Duration = .seconds(3)) -> PolicyDBSettings {
        PolicyDBSettings(uri: uri, passwordFile: server.passwordFile, switchID: "tor-a", hostname: "tor-a",
                         connectTimeoutSeconds: 2, statementTimeout: statementTimeout,
                         firstRetryDelay: .milliseconds(100), maximumRetryDelay: .milliseconds(400))
    }

    @Test func backoffDoublesFromOneSecondToThirty() {
        let standard = PolicyDBSettings(uri: "postgresql://u@h/db", passwordFile: nil, switchID: "a", hostname: "a")
        #expect((1...8).map { standard.retryDelay(afterFailures: $0) } == [1, 2, 4, 8, 16, 30, 30, 30].map { Duration.seconds($0) })
    }

    @Test func heldLockFailsTheStatementAndTheConnectionGoesOn() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let (name, uri) = try server.createDatabase()
        let connection = try PolicyConnection(uri: uri, passwordFile: server.passwordFile, statementTimeout: .milliseconds(300))
        try connection.migrate()
        try connection.putProfile(Self.web)
        try connection.assign(.mac(Self.mac), profile: "web")
        try connection.recordLocation(VMLocation(mac: Self.mac, name: nil, switchID: "tor-a", port: "1", vlan: nil, since: Date()))

        // A row lock: the location upsert waits for it, and gives up at the statement timeout.
        var holder = try holdLock(server, database: name, "SELECT * FROM vm_locations FOR UPDATE", table: "vm_locations", mode: "RowShareLock")
        do {
            try connection.recordLocation(VMLocation(mac: Self.mac, name: nil, switchID: "tor-b", port: "2", vlan: nil, since: Date()))
            Issue.record("the upsert did not wait for the row lock")
        } catch {
            guard case .timeout = error else { Issue.record("expected a statement timeout, got \(error)"); return }
        }
        try release(server, holder, database: name)

        // A table lock (an operator's ALTER in a long transaction) blocks even readers.
        holder = try holdLock(server, database: name, "LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE", table: "profiles", mode: "AccessExclusiveLock")
        #expect(throws: PolicyDBError.self) { try connection.resolve(mac: Self.mac, name: nil, uuid: nil) }
        #expect(connection.isAlive)

        try release(server, holder, database: name)
        #expect(try connection.resolve(mac: Self.mac, name: nil, uuid: nil).profile == Self.web)

        // The client reports the failure and keeps its connection.
        let events = EventRecorder()
        let client = PolicyDBClient(settings: settings(server, uri: uri, statementTimeout: .milliseconds(300)), deliver: events.deliver)
        client.start()
        defer { client.stop() }
        #expect(events.wait { if case .connected = $0 { true } else { false } } != nil)
        holder = try holdLock(server, database: name, "LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE", table: "profiles", mode: "AccessExclusiveLock")
        let mark = events.count
        client.resolve(mac: Self.mac, name: nil, uuid: nil)
        #expect(events.wait(from: mark) { if case .queryFailed(let why) = $0 { why.contains("timed out") } else { false } } != nil)
        #expect(client.status().state == .connected)
        #expect(client.status().queryFailures == 1)
        try release(server, holder, database: name)
        client.resolve(mac: Self.mac, name: nil, uuid: nil)
        #expect(events.wait(from: mark) { $0 == .resolved(mac: Self.mac, profile: Self.web) } != nil)
        #expect(!events.all.contains { if case .down = $0 { true } else { false } })
    }

    @Test func serverKilledMidRunThenRestarted() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let (_, uri) = try server.createDatabase()
        let editor = try PolicyConnection(uri: uri, passwordFile: server.passwordFile)
        try editor.migrate()
        try editor.putProfile(Self.web)
        try editor.assign(.mac(Self.mac), profile: "web")
        try editor.putVSIType(VSITypeRow(typeID: 1, version: 0, profile: "web"))

        let events = EventRecorder()
        let client = PolicyDBClient(settings: settings(server, uri: uri), deliver: events.deliver)
        client.start()
        defer { client.stop() }
        #expect(events.wait { if case .vsiTypes = $0 { true } else { false } } != nil)
        client.resolve(mac: Self.mac, name: nil, uuid: nil)
        #expect(events.wait { $0 == .resolved(mac: Self.mac, profile: Self.web) } != nil)

        try server.kill()
        guard let down = events.wait(from: 0, { if case .down = $0 { true } else { false } }) else {
            Issue.record("no .down after the server was killed")
            return
        }
        let outageStatus = client.status()
        #expect(outageStatus.state == .down)
        #expect(outageStatus.retries >= 1 && outageStatus.nextAttempt != nil)
        if case .down(let reason) = down.event { #expect(reason.hasPrefix("connection to the policy database lost"), "\(reason)") }
        // While down: the cached answer is given again (stale), a location is kept for later.
        client.resolve(mac: Self.mac, name: nil, uuid: nil)
        #expect(events.wait(from: down.index) { $0 == .resolved(mac: Self.mac, profile: Self.web) } != nil)
        let since = Date(timeIntervalSince1970: 1_800_000_000)
        let location = VMLocation(mac: Self.mac, name: "vm42", switchID: "tor-a", port: "4", vlan: 10, since: since)
        client.recordLocation(location)

        try server.restart()
        guard let connected = events.wait(from: down.index, { $0 == .connected(schemaVersion: PolicyConnection.schemaVersion) }) else {
            Issue.record("no .connected after the restart")
            return
        }
        #expect(events.wait(from: connected.index) { if case .vsiTypes(let rows, _) = $0 { rows.count == 1 } else { false } } != nil)
        // Each state change once: one .down for the whole outage, however many retries.
        let outage = events.all[down.index..<connected.index]
        #expect(outage.filter { if case .down = $0 { true } else { false } }.count == 1)
        #expect(client.status().state == .connected)
        #expect(client.status().retries == 0)
        // The location recorded while down was written after reconnecting.
        let reader = try PolicyConnection(uri: uri, passwordFile: server.passwordFile)
        #expect(try reader.locations(matching: .mac(Self.mac)).rows == [location])
    }

    @Test func databaseDownAtBoot() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let (_, uri) = try server.createDatabase()
        try server.stopServer()

        let events = EventRecorder()
        let client = PolicyDBClient(settings: settings(server, uri: uri), deliver: events.deliver)
        client.start()
        defer { client.stop() }
        guard let down = events.wait({ if case .down = $0 { true } else { false } }) else {
            Issue.record("no .down while the server is stopped")
            return
        }
        if case .down(let reason) = down.event { #expect(reason.contains("cannot connect")) }
        // Queries while down answer at once, with why.
        let answered = NSCondition()
        let result = Mutex<Result<[VMLocation], PolicyDBError>?>(nil)
        client.query(locations: nil) { value in
            answered.lock()
            result.withLock { $0 = value }
            answered.broadcast()
            answered.unlock()
        }
        answered.lock()
        while result.withLock({ $0 == nil }) { if !answered.wait(until: Date().addingTimeInterval(60)) { break } }
        answered.unlock()
        if case .failure(.down) = result.withLock({ $0 }) {} else { Issue.record("expected .down, got \(String(describing: result.withLock { $0 }))") }

        try server.restart()
        guard let connected = events.wait(from: down.index, { if case .connected = $0 { true } else { false } }) else {
            Issue.record("no .connected after the server started")
            return
        }
        #expect(events.wait(from: connected.index) { if case .vsiTypes = $0 { true } else { false } } != nil)
        #expect(client.status().schemaVersion == PolicyConnection.schemaVersion)
    }
}
