import Foundation
import Testing
import TestSupport

/// A serial line simulated by socat: two ptys joined like a null-modem cable. On one end
/// `vmready connect` runs as a getty's login would run it; the test is the operator's
/// terminal on the other end.
final class SerialLine {
    let terminal: TerminalConnection
    let client: pid_t
    /// From the client's start to its first prompt, for the closing note (never asserted).
    private(set) var startMilliseconds: Double?
    private let socat: pid_t
    private let directory: URL
    private var exited = false

    /// nil (with a recorded issue) when socat is not installed.
    init?(switch sw: HeadlessSwitch) throws {
        guard let socatPath = program("socat") else {
            Issue.record("socat is not installed: run `make test` (it installs socat) or `apt-get install socat`")
            return nil
        }
        directory = sw.directory.appendingPathComponent("serial-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let line = directory.appendingPathComponent("ttyS0").path
        let operatorEnd = directory.appendingPathComponent("operator").path
        socat = try ChildProcess.spawn(socatPath, ["PTY,link=\(line),raw,echo=0", "PTY,link=\(operatorEnd),raw,echo=0"],
                                       stdoutPath: "/dev/null", stderrPath: directory.appendingPathComponent("socat.err").path)
        guard HeadlessSwitch.eventually(10, {
            FileManager.default.fileExists(atPath: line) && FileManager.default.fileExists(atPath: operatorEnd)
        }) else {
            kill(socat, SIGKILL)
            throw TerminalTestFailure(description: "socat made no ptys")
        }
        terminal = TerminalConnection(fd: open(operatorEnd, O_RDWR | O_NOCTTY))
        let device = open(line, O_RDWR | O_NOCTTY)
        defer { close(device) }
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(device, UInt(TIOCSWINSZ), &size)
        let started = Date()
        client = try ChildProcess.spawn(try TmuxTerminal.vmreadyBinary().path, ["connect", "--state-dir", sw.stateDir.path],
                                        stdinFD: device, stdoutPath: line, stderrPath: line,
                                        environment: ["TERM": "vt100", "PATH": "/usr/bin:/bin"])
        if terminal.wait(for: "vmready>") != nil {
            startMilliseconds = Date().timeIntervalSince(started) * 1000
            terminal.type("\r") // the prompt again, for the test's own first wait
        }
    }

    deinit {
        if !exited {
            kill(client, SIGKILL)
            var status: Int32 = 0
            waitpid(client, &status, 0)
        }
        kill(socat, SIGTERM)
        var status: Int32 = 0
        waitpid(socat, &status, 0)
        try? FileManager.default.removeItem(at: directory)
    }

    /// The client's exit status once it exits, or nil if it is still running after `seconds`.
    func waitForExit(seconds: Double = 10) -> Int32? {
        var status: Int32 = 0
        let done = HeadlessSwitch.eventually(seconds) { waitpid(client, &status, WNOHANG) == client }
        guard done else { return nil }
        exited = true
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }
}
