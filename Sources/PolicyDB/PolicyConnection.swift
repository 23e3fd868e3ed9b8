import Foundation

/// A synchronous connection to the policy database, for one thread: `vmready policy` uses
/// it directly, the switch through `PolicyDBClient`'s thread. Not shared between threads
/// (libpq connections are not), hence a plain final class and not Sendable.
public final class PolicyConnection {
    let connection: LibPQConnection
    public let statementTimeout: Duration

    /// The newest schema this program knows; a database with a newer one is refused.
    public static var schemaVersion: Int { PolicySchema.currentVersion }

    /// Connects. `uri` is a libpq URI or conninfo string without a password (one there is
    /// refused: it would end up in configs and logs); the password, if any, is the first
    /// line of `passwordFile`. `statementTimeout` bounds every statement, so a lock held
    /// by someone else fails the statement instead of stalling its caller.
    public init(uri: String, passwordFile: String?, connectTimeout: Int = 5,
                statementTimeout: Duration = .seconds(5)) throws(PolicyDBError) {
        try Self.checkURI(uri)
        let password = try passwordFile.map { path throws(PolicyDBError) in try Self.readPassword(path) }
        connection = try LibPQConnection(uri: uri, password: password, connectTimeout: connectTimeout)
        self.statementTimeout = statementTimeout
        let milliseconds = max(1, Int(statementTimeout.components.seconds * 1000 + statementTimeout.components.attoseconds / 1_000_000_000_000_000))
        try execute("SELECT set_config('statement_timeout', $1, false)", ["\(milliseconds)ms"])
    }

    /// Refuses a URI libpq cannot read, or one that carries a password.
    public static func checkURI(_ uri: String) throws(PolicyDBError) {
        if try carriesPassword(uri) {
            throw .settings("the policy database URI carries a password: put the password in a password file")
        }
    }

    /// Whether libpq reads a password out of `uri` (user info, `?password=`, any spelling
    /// libpq accepts); throws when libpq cannot parse it. The switch's own check of what
    /// an operator types asks this too, so both refuse exactly the same URIs.
    public static func carriesPassword(_ uri: String) throws(PolicyDBError) -> Bool {
        try LibPQConnection.parse(uri: uri).get()["password"] != nil
    }

    /// The password: the file's first line (a trailing CR or LF is not part of it).
    public static func readPassword(_ path: String) throws(PolicyDBError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .passwordFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        // A password is short: the first 4 KiB hold its line or the file is not one.
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(fd, &buffer, buffer.count)
        guard count >= 0 else { throw .passwordFile(path: path, reason: String(cString: strerror(errno))) }
        var line = buffer[..<count].split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard !line.isEmpty, !line.contains(0), let password = String(validating: line, as: UTF8.self) else {
            throw .passwordFile(path: path, reason: "its first line is empty or not UTF-8 text")
        }
        return password
    }

    /// True while the server connection is up.
    public var isAlive: Bool { connection.isAlive }

    // MARK: Schema

    /// Creates or migrates the schema to `schemaVersion` and returns it. Refuses a database
    /// whose version is newer. Two switches migrating at once are serialised by an
    /// advisory lock, each step in its own transaction.
    @discardableResult
    public func migrate() throws(PolicyDBError) -> Int {
        try migrate(upTo: PolicySchema.currentVersion)
    }

    /// Migrates up to `target` only (the tests build an old database with it).
    func migrate(upTo target: Int) throws(PolicyDBError) -> Int {
        // Read first, without creating anything: a database already current needs no CREATE
        // privilege (PostgreSQL 15 checks it even for CREATE TABLE IF NOT EXISTS).
        let stored = try storedVersion() ?? 0
        if stored > PolicySchema.currentVersion { throw .futureSchema(database: stored, known: PolicySchema.currentVersion) }
        if stored >= target { return stored }
        while true {
            let done: Int? = try transaction { () throws(PolicyDBError) -> Int? in
                try execute("SELECT pg_advisory_xact_lock(7468242517)")
                try execute(PolicySchema.versionTable)
                let found = try storedVersion() ?? 0
                if found > PolicySchema.currentVersion {
                    throw .futureSchema(database: found, known: PolicySchema.currentVersion)
                }
                if found >= target { return found }
                for statement in PolicySchema.migrations[found] { try execute(statement) }
                try execute("DELETE FROM vmready_schema")
                try execute("INSERT INTO vmready_schema (version) VALUES ($1)", [String(found + 1)])
                return nil
            }
            if let done { return done }
        }
    }

    /// The database's schema version; nil when it has none yet.
    public func storedVersion() throws(PolicyDBError) -> Int? {
        let exists = try execute("SELECT to_regclass('vmready_schema') IS NOT NULL")
        guard exists.rows.first?.first == "t" else { return nil }
        let rows = try execute("SELECT max(version) FROM vmready_schema")
        return rows.rows.first?.first.flatMap { $0 }.flatMap { Int($0) }
    }

    // MARK: Notifications

    /// Subscribes to policy changes (`waitForNotifications`).
    public func listen() throws(PolicyDBError) {
        try execute("LISTEN \(PolicySchema.channel)")
    }

    /// The socket to poll() for notifications.
    public var socket: Int32 { connection.socket }

    /// Changes announced since the last call, waiting up to `timeout` for the first (poll()
    /// on the connection's socket: nothing is asked of the server). Throws when the
    /// connection is lost.
    public func waitForNotifications(timeout: Duration) throws(PolicyDBError) -> [PolicyChange] {
        var changes = try pendingChanges()
        guard changes.isEmpty else { return changes }
        let deadline = ContinuousClock.now + timeout
        while changes.isEmpty {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { break }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno != EINTR { throw .connectionLost("poll: \(String(cString: strerror(errno)))") }
            changes = try pendingChanges()
        }
        return changes
    }

    /// Notifications already received, without waiting.
    public func pendingChanges() throws(PolicyDBError) -> [PolicyChange] {
        try connection.notifications().compactMap { $0.channel == PolicySchema.channel ? PolicyChange(payload: $0.payload) : nil }
    }

    // MARK: Statements

    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(PolicyDBError) -> PGRows {
        try connection.execute(sql, parameters)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws(PolicyDBError) -> T) throws(PolicyDBError) -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if connection.isAlive { _ = try? execute("ROLLBACK") }
            throw error
        }
    }
}
