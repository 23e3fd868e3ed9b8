import Foundation
import TestSupport

/// `vmready --console none` on a fresh state directory, as a service manager runs it, and
/// `vmready connect` clients against it.
final class HeadlessSwitch {
    let directory: URL
    let stateDir: URL
    let pid: pid_t
    private var stopped = false

    var socketPath: String { stateDir.appendingPathComponent("vmready.sock").path }

    /// Starts the switch and waits for its control socket. `stateDir`: reuse this one.
    init(stateDir reused: URL? = nil, arguments: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vmready-access-\(UUID().uuidString.prefix(8))")
        stateDir = reused ?? directory.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: stateDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Operators (the ssh test's user) must reach the socket through the directories.
        chmod(directory.path, 0o755)
        pid = try ChildProcess.spawn(try TmuxTerminal.vmreadyBinary().path,
                                     ["--console", "none", "--state-dir", stateDir.path] + arguments,
                                     stdoutPath: directory.appendingPathComponent("switch.out").path,
                                     stderrPath: directory.appendingPathComponent("switch.err").path)
        let deadline = Date().addingTimeInterval(20)
        while !stderrText.contains("operators connect through") {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                stopped = true
                throw TerminalTestFailure(description: "the switch exited (wait status \(status)): \(stderrText)")
            }
            guard Date() < deadline else { throw TerminalTestFailure(description: "no control socket after 20 s: \(stderrText)") }
            usleep(20_000)
        }
    }

    deinit {
        if !stopped {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    var stderrText: String {
        (try? String(contentsOf: directory.appendingPathComponent("switch.err"), encoding: .utf8)) ?? ""
    }

    /// SIGTERM (or `signal`), then the exit's wait status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        stopped = true
        return status
    }

    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// `vmready connect < script`: a batch session through the control socket.
    func connect(_ lines: [String], extra: [String] = []) throws -> Result {
        try Self.connect(lines, extra: extra, stateDir: stateDir, scratch: directory)
    }

    /// `connect` for other threads: only values cross, never the switch object.
    static func connect(_ lines: [String], extra: [String] = [], stateDir: URL, scratch directory: URL) throws -> Result {
        let id = UUID().uuidString.prefix(8)
        let script = directory.appendingPathComponent("script-\(id)")
        try (lines.joined(separator: "\n") + "\n").write(to: script, atomically: true, encoding: .utf8)
        let outPath = directory.appendingPathComponent("out-\(id)").path
        let errPath = directory.appendingPathComponent("err-\(id)").path
        let input = open(script.path, O_RDONLY)
        defer { close(input) }
        let client = try ChildProcess.spawn(try TmuxTerminal.vmreadyBinary().path,
                                            ["connect", "--state-dir", stateDir.path] + extra,
                                            stdinFD: input, stdoutPath: outPath, stderrPath: errPath)
        var status: Int32 = 0
        while waitpid(client, &status, 0) < 0 && errno == EINTR {}
        return Result(status: status & 0x7f == 0 ? (status >> 8) & 0xff : -1,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// A `vmready connect` batch that stays open: its first lines run now, more are sent
    /// later. What a test needs to read `show logging` while its uid may not `enable`.
    final class OpenBatch {
        let pid: pid_t
        private var input: Int32
        let outPath: String
        let errPath: String

        init(stateDir: URL, scratch: URL) throws {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw TerminalTestFailure(description: "pipe failed") }
            _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
            let id = UUID().uuidString.prefix(8)
            outPath = scratch.appendingPathComponent("open-out-\(id)").path
            errPath = scratch.appendingPathComponent("open-err-\(id)").path
            defer { close(ends[0]) }
            pid = try ChildProcess.spawn(try TmuxTerminal.vmreadyBinary().path, ["connect", "--state-dir", stateDir.path],
                                         stdinFD: ends[0], stdoutPath: outPath, stderrPath: errPath)
            input = ends[1]
        }

        deinit { if input >= 0 { close(input) } }

        var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

        func send(_ lines: [String]) {
            let text = lines.joined(separator: "\n") + "\n"
            _ = text.withCString { write(input, $0, strlen($0)) }
        }

        /// Sends the last lines, ends the input and waits for the session's end.
        func finish(_ lines: [String]) -> Result {
            send(lines)
            close(input)
            input = -1
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return Result(status: status & 0x7f == 0 ? (status >> 8) & 0xff : -1, stdout: stdout,
                          stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        }
    }

    /// An open batch in privileged exec (after `secret`, if given), ready for more lines.
    func privilegedBatch(secret: String? = nil) throws -> OpenBatch {
        let batch = try OpenBatch(stateDir: stateDir, scratch: directory)
        batch.send(["enable"] + (secret.map { [$0] } ?? []) + ["show version"])
        guard Self.eventually(20, { batch.stdout.contains("VMready switch operating system") }) else {
            throw TerminalTestFailure(description: "the open batch did not start")
        }
        return batch
    }

    /// The names of the switch's threads (`vty 2` runs that line's session).
    func threadNames() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { try? String(contentsOfFile: "/proc/\(pid)/task/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Polls `condition` every 50 ms for up to `seconds`. Only bounds a wait.
    static func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}

/// Tests that create users and start sshd need root; CI runs them as root.
let isRoot = getuid() == 0

/// The path of a program, or nil when it is not installed.
func program(_ name: String, in dirs: [String] = ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin"]) -> String? {
    dirs.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
