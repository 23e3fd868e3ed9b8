#if os(Linux)
import Foundation
import Glibc

/// The real `vmready` binary in a batch session: configuration lines go to its stdin (a
/// pipe the test holds open), its output goes to files the test reads while it forwards.
final class SwitchProcess {
    /// The setting `configure` changes to a fresh marker to learn that the switch has run
    /// the lines before it (`show running-config` shows the marker once they have run).
    enum SyncMarker {
        /// The hostname: simple, but LLDP advertises it as the System Name.
        case hostname
        /// The name of VLAN `vid`, for tests that watch what LLDP advertises: a VLAN no
        /// port carries is in no LLDPDU.
        case vlanName(vid: Int)

        func lines(_ marker: String) -> [String] {
            switch self {
            case .hostname: ["configure terminal", "hostname \(marker)", "end", "show running-config | include hostname"]
            case .vlanName(let vid):
                ["configure terminal", "vlan \(vid)", "name \(marker)", "end", "show running-config | include labsync"]
            }
        }

        func echo(_ marker: String) -> String {
            switch self {
            case .hostname: "hostname \"\(marker)\""
            case .vlanName: "name \"\(marker)\""
            }
        }
    }

    let pid: pid_t
    private let syncMarker: SyncMarker
    private var stdinFD: Int32
    private let stdoutPath: String
    private let stderrPath: String
    private var exitStatus: Int32?
    private var syncCount = 0

    init(binary: String, arguments: [String], scratch: String, syncMarker: SyncMarker = .hostname) throws {
        self.syncMarker = syncMarker
        stdoutPath = scratch + "/vmready.out"
        stderrPath = scratch + "/vmready.err"
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw LabFailure(description: "pipe: \(String(cString: strerror(errno)))")
        }
        // Neither end may leak into the other programs the tests start, or vmready would
        // never see end of file on its stdin (posix_spawn's dup2 clears it on fd 0).
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        // A write to a switch that died must fail with EPIPE, not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
        do {
            pid = try HostProcesses.spawn([binary] + arguments, stdinFD: fds[0],
                                          stdoutPath: stdoutPath, stderrPath: stderrPath)
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        close(fds[0])
        stdinFD = fds[1]
    }

    deinit { stop() }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// What the switch printed so far, for failure messages.
    var transcript: String { "--- vmready stdout ---\n\(stdout)--- vmready stderr ---\n\(stderr)---" }

    /// True while the process runs (reaps it when it has exited).
    var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    /// Writes `lines` (each followed by a newline) to the switch's stdin.
    func send(_ lines: [String]) throws {
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(stdinFD, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw LabFailure(description: "cannot write to vmready's stdin (\(String(cString: strerror(errno))))\n\(transcript)")
            }
            offset += n
        }
    }

    /// Sends `lines`, then waits until the switch has run them all: a marker set after them
    /// (`syncMarker`) shows up in its output (lines run in order; output is flushed per line).
    func configure(_ lines: [String], timeout: Double = 20) throws {
        syncCount += 1
        let marker = "labsync\(syncCount)"
        try send(lines + syncMarker.lines(marker))
        let deadline = Date().addingTimeInterval(timeout)
        while !stdout.contains(syncMarker.echo(marker)) {
            guard isRunning else { throw LabFailure(description: "vmready exited while being configured\n\(transcript)") }
            guard Date() < deadline else {
                throw LabFailure(description: "vmready did not run the configuration within \(Int(timeout)) s\n\(transcript)")
            }
            usleep(50_000)
        }
    }

    /// `show interface counters` by port: RX frames, RX bytes, TX frames, TX bytes,
    /// Forwarded, Flooded, ... (the numeric columns after the port number).
    func portCounters() throws -> [Int: [Int]] {
        var out: [Int: [Int]] = [:]
        for line in try query(["show interface counters"]).split(separator: "\n") {
            let fields = line.split(separator: " ").compactMap { Int($0) }
            guard fields.count >= 5, line.first?.isNumber == true else { continue }
            out[fields[0]] = Array(fields.dropFirst())
        }
        return out
    }

    /// Runs `lines` and returns what they printed (the output after the previous
    /// marker, up to this one's).
    func query(_ lines: [String], timeout: Double = 20) throws -> String {
        let before = stdout.utf8.count
        try configure(lines, timeout: timeout)
        let after = String(decoding: stdout.utf8.dropFirst(before), as: UTF8.self)
        return after.components(separatedBy: syncMarker.echo("labsync\(syncCount)")).first ?? after
    }

    /// Closes stdin (the end of the batch) and waits for the switch to exit; its wait
    /// status, or nil when it had to be killed.
    func finish(timeout: Double = 20) -> Int32? {
        if stdinFD >= 0 {
            close(stdinFD)
            stdinFD = -1
        }
        if let exitStatus { return exitStatus }
        if let status = HostProcesses.wait(for: pid, timeout: timeout) {
            exitStatus = status
            return status
        }
        HostProcesses.kill(pid)
        exitStatus = -1
        return nil
    }

    /// Ends the switch whatever state it is in (cleanup path).
    func stop() {
        if stdinFD >= 0 {
            close(stdinFD)
            stdinFD = -1
        }
        if exitStatus == nil, isRunning {
            HostProcesses.kill(pid)
            exitStatus = -1
        }
    }
}
#endif
