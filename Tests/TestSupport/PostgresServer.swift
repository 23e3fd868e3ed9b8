import Foundation

/// A real PostgreSQL server for tests: Debian's `postgresql` binaries, a cluster in a
/// temporary directory, listening on 127.0.0.1 at a free port (and on a Unix socket in the
/// same directory). Local connections (the operator's `psql`) are trusted; TCP needs a
/// password (SCRAM), so clients go through the password-file path for real.
///
/// Stopped and removed by `stop()` or deinit, also when a test fails. The crash fault is
/// `kill()` (SIGKILL to the postmaster) and `restart()`.
public final class PostgresServer: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) { self.description = description }
    }

    public static let binDirectory = "/usr/lib/postgresql/15/bin"
    /// The login clients use over TCP, and its password.
    public static let user = "vmready"
    public static let password = "pw-\(UUID().uuidString.prefix(8))"

    public let directory: String
    /// Fixed once the server has started (a restart after a crash keeps it).
    public private(set) var port: Int
    public var dataDirectory: String { directory + "/data" }
    /// A file holding `password` (for clients' `passwordFile`).
    public var passwordFile: String { directory + "/client-password" }
    private let lock = NSLock()
    private var stopped = false
    private var databases = 0

    /// True when the binaries are installed and the tests run as root (to run them as
    /// `postgres`); the suites say so and skip otherwise.
    public static var isAvailable: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: binDirectory + "/initdb")
            && getpwnam("postgres") != nil
    }

    /// initdb + start; fast settings (no fsync, small buffers): the data is thrown away. Commits
    /// stay synchronous: a SIGKILLed server (the crash fault) must keep what it acknowledged.
    public init() throws {
        Self.removeAbandoned()
        var template = Array("/tmp/vmready-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp: \(String(cString: strerror(errno)))") }
        directory = String(cString: made)
        port = try LoopbackPort.free()
        do {
            guard let postgres = getpwnam("postgres") else { throw Failure(description: "no postgres user") }
            chown(directory, postgres.pointee.pw_uid, postgres.pointee.pw_gid)
            chmod(directory, 0o700)
            try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: directory + "/owner"))
            let superPassword = directory + "/super-password"
            try Data("super-\(UUID().uuidString)\n".utf8).write(to: URL(fileURLWithPath: superPassword))
            chown(superPassword, postgres.pointee.pw_uid, postgres.pointee.pw_gid)
            try Data("\(Self.password)\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
            try runAsPostgres("initdb", ["-D", dataDirectory, "-U", "postgres", "--auth-local=trust",
                                         "--auth-host=scram-sha-256", "--pwfile=\(superPassword)", "-E", "UTF8", "--no-sync"])
            try startOnAFreePort()
            try psql("CREATE ROLE \(Self.user) LOGIN PASSWORD '\(Self.password)'")
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// A fresh database owned by `user`, and its URI (no password: that is in `passwordFile`).
    public func createDatabase() throws -> (name: String, uri: String) {
        let name = lock.withLock {
            databases += 1
            return "test_\(databases)_\(getpid())"
        }
        try psql("CREATE DATABASE \(name) OWNER \(Self.user)")
        return (name, uri(database: name))
    }

    public func uri(database: String) -> String {
        "postgresql://\(Self.user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs SQL as the superuser over the Unix socket, as a second operator would with psql;
    /// returns its output (unaligned, tuples only). Throws with psql's stderr on failure.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run(Self.binDirectory + "/psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port),
                                             "-U", "postgres", "-d", database, "-c", sql])
    }

    /// Starts `psql` running `sql` in the background (a transaction holding a lock); the
    /// returned pid is the caller's to kill.
    public func psqlInBackground(_ sql: String, database: String) throws -> pid_t {
        let log = directory + "/psql-\(UUID().uuidString).log"
        return try ChildProcess.spawn(Self.binDirectory + "/psql",
                                      ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port),
                                       "-U", "postgres", "-d", database, "-c", sql],
                                      stdoutPath: log, stderrPath: log)
    }

    /// The crash fault: SIGKILL to the postmaster. Its backends notice and exit by themselves.
    public func kill() throws {
        guard let pid = postmasterPID() else { throw Failure(description: "no postmaster.pid") }
        backendsOfKilledServer = children(of: pid)
        Foundation.kill(pid, SIGKILL)
        waitGone([pid])
    }

    /// Starts the server again (after `kill()` or `stopServer()`), on the same port.
    public func restart() throws {
        // A new postmaster refuses to start while the old one's backends hold its shared memory.
        waitGone(backendsOfKilledServer)
        backendsOfKilledServer = []
        try start()
    }

    /// A clean shutdown, the server kept for `restart()`.
    public func stopServer() throws {
        try runAsPostgres("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
    }

    /// Stops the server (if up) and removes its directory. Safe to call twice.
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        if let pid = postmasterPID() {
            let backends = children(of: pid)
            Foundation.kill(pid, SIGQUIT)
            waitGone([pid] + backends)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Internals

    /// Servers left by a test run that was killed (no deinit ran): their owner process is
    /// gone. Stopped and removed, so they do not pile up across runs.
    private static func removeAbandoned() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for entry in entries where entry.hasPrefix("vmready-pg-") {
            let path = "/tmp/" + entry
            guard let text = try? String(contentsOfFile: path + "/owner", encoding: .utf8),
                  let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  Foundation.kill(owner, 0) != 0 && errno == ESRCH else { continue }
            if let pidText = try? String(contentsOfFile: path + "/data/postmaster.pid", encoding: .utf8),
               let first = pidText.split(separator: "\n").first, let pid = pid_t(first), pid > 0,
               let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8), command.contains(path) {
                Foundation.kill(pid, SIGQUIT)
                for _ in 0..<500 where Foundation.kill(pid, 0) == 0 { usleep(10_000) }
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private var backendsOfKilledServer: [pid_t] = []

    /// The port was free when asked for, but another test's daemon may bind it first: the
    /// server then says so in its log, and starts again on another. Any other failure is
    /// reported with the end of the server's log (the directory goes with the failure).
    private func startOnAFreePort() throws {
        for attempt in 1...3 {
            do {
                return try start()
            } catch {
                let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
                guard attempt < 3, log.contains("Address already in use") else {
                    throw Failure(description: "\(error)\nserver.log:\n" + log.split(separator: "\n").suffix(12).joined(separator: "\n"))
                }
                try? FileManager.default.removeItem(atPath: directory + "/server.log")
                port = try LoopbackPort.free()
            }
        }
    }

    private func start() throws {
        try runAsPostgres("pg_ctl", ["-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60", "-o",
                                     "-k \(directory) -p \(port) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=60",
                                     "start"])
    }

    private func postmasterPID() -> pid_t? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first, let pid = pid_t(first), pid > 0 else { return nil }
        return Foundation.kill(pid, 0) == 0 ? pid : nil
    }

    /// Processes whose parent is `pid` (from /proc).
    private func children(of pid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let child = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == pid ? child : nil
        }
    }

    /// Waits (bounded: 30 s) until none of `pids` exists.
    private func waitGone(_ pids: [pid_t]) {
        for _ in 0..<3000 {
            if pids.allSatisfy({ Foundation.kill($0, 0) != 0 && errno == ESRCH }) { return }
            // A killed child of ours would stay a zombie: reap what is ours.
            for pid in pids { _ = waitpid(pid, nil, WNOHANG) }
            usleep(10_000)
        }
    }

    private func runAsPostgres(_ tool: String, _ arguments: [String]) throws {
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", Self.binDirectory + "/" + tool] + arguments)
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        let out = directory + "/run-\(UUID().uuidString).out"
        let err = directory + "/run-\(UUID().uuidString).err"
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        let pid = try ChildProcess.spawn(executable, arguments, stdoutPath: out, stderrPath: err,
                                         environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let message = ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "\((executable as NSString).lastPathComponent) \(arguments.last ?? ""): \(message)")
        }
        return output.trimmingCharacters(in: .newlines)
    }
}
