#if os(Linux)
import Foundation
import TestSupport
import Glibc

/// A lab step failed; the description says which and carries what the tools printed.
struct LabFailure: Error, CustomStringConvertible {
    let description: String
}

/// What a finished program left behind.
struct ProgramResult {
    let command: [String]
    /// The raw wait status: 0 means it exited normally with status 0.
    let waitStatus: Int32
    let stdout: String
    let stderr: String

    var succeeded: Bool { waitStatus == 0 }

    var summary: String {
        "`\(command.joined(separator: " "))` (wait status \(waitStatus))\nstdout: \(stdout)\nstderr: \(stderr)"
    }
}

/// Starts and waits for the lab's programs (ip, sysctl, ethtool, ping, vmready).
///
/// posix_spawn rather than Foundation's Process: the test runner's threads block SIGTERM
/// and SIGHUP, and a child inheriting that mask would ignore them (see
/// Tests/TerminalTests/TmuxTerminal.swift). Output goes to files, so a chatty child can
/// never block on a full pipe.
enum HostProcesses {
    /// The Debian packages the lab needs, by program, for the message when one is missing.
    static let packages = ["ip": "iproute2", "sysctl": "procps", "ethtool": "ethtool", "ping": "iputils-ping",
                           "lldpd": "lldpd", "lldpcli": "lldpd", "tshark": "tshark",
                           "snmpd": "snmpd", "snmpwalk": "snmp", "snmpget": "snmp"]

    /// `name` found on PATH or in the usual system directories (root's PATH may lack sbin).
    static func executable(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        for dir in dirs where !dir.isEmpty {
            let candidate = dir + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        let package = packages[name].map { " (Debian package \($0))" } ?? ""
        throw LabFailure(description: "`\(name)` is not installed\(package) and the lab test needs it: "
            + "run `make test`, which installs the packages the tests need")
    }

    /// Starts `argv` with stdin from `stdinFD` (else /dev/null) and output to the files.
    static func spawn(_ argv: [String], stdinFD: Int32? = nil, stdoutPath: String, stderrPath: String) throws -> pid_t {
        let program = argv[0].contains("/") ? argv[0] : try executable(argv[0])
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(program, Array(argv.dropFirst()), stdinFD: stdinFD,
                                         stdoutPath: stdoutPath, stderrPath: stderrPath)
        } catch {
            throw LabFailure(description: error.description)
        }
        return pid
    }

    /// Polls `pid` until it exits or `timeout` seconds pass; its wait status, or nil.
    /// Bounds a wait only, never measures anything.
    static func wait(for pid: pid_t, timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return status }
            if r < 0 && errno != EINTR { return nil }
            if Date() >= deadline { return nil }
            usleep(20_000)
        }
    }

    /// Kills `pid` for good and reaps it.
    /// Returns once the tcpdump writing its messages to `stderrPath` says it is capturing
    /// (so that nothing the test sends next is missed); throws after 10 s.
    static func waitForCapture(_ stderrPath: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: stderrPath, encoding: .utf8), text.contains("listening on") { return }
            usleep(50_000)
        }
        let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        throw LabFailure(description: "tcpdump did not start capturing within 10 s: \(text)")
    }

    static func kill(_ pid: pid_t) {
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// Runs `argv` to completion (at most `timeout` seconds, then it is killed).
    @discardableResult
    static func run(_ argv: [String], timeout: Double = 30) throws -> ProgramResult {
        let base = FileManager.default.temporaryDirectory.path + "/vmready-lab-run-\(UUID().uuidString)"
        let outPath = base + ".out", errPath = base + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let pid = try spawn(argv, stdoutPath: outPath, stderrPath: errPath)
        guard let status = wait(for: pid, timeout: timeout) else {
            kill(pid)
            throw LabFailure(description: "`\(argv.joined(separator: " "))` did not finish within \(Int(timeout)) s")
        }
        return ProgramResult(command: argv, waitStatus: status,
                             stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Runs `argv` and throws with its output unless it succeeds.
    static func mustRun(_ argv: [String]) throws {
        let result = try run(argv)
        guard result.succeeded else { throw LabFailure(description: "lab setup failed: " + result.summary) }
    }
}
#endif
