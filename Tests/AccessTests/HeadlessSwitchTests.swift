import Foundation
import TestSupport
import Testing

/// `vmready --console none`: a service's switch, owning its state directory through the
/// control socket.
@Suite struct HeadlessSwitchTests {
    @Test func theControlSocketIsGroupOnlyAndALiveSwitchIsRefused() throws {
        let first = try HeadlessSwitch()
        var info = stat()
        #expect(stat(first.socketPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660, "socket mode \(String(info.st_mode & 0o777, radix: 8))")
        #expect(info.st_mode & S_IFMT == S_IFSOCK)

        // A second switch on the same state directory is refused, and says why.
        #expect(throws: (any Error).self) { try HeadlessSwitch(stateDir: first.stateDir) }
        let refused = try BatchRun.vmready(["--state-dir", first.stateDir.path, "-c", "show version"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("another switch is running on \(first.stateDir.path)"), "\(refused.stderr)")
        // The first one still answers.
        #expect(try first.connect(["show version"]).stdout.contains("VMready switch operating system"))
    }

    @Test func aKilledSwitchsSocketIsReplacedAndSIGTERMStopsCleanly() throws {
        let killed = try HeadlessSwitch()
        killed.stop(signal: SIGKILL)
        #expect(FileManager.default.fileExists(atPath: killed.socketPath), "SIGKILL leaves the socket behind")
        let gone = try killed.connect(["show version"])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("no switch is running on"), "\(gone.stderr)")

        let next = try HeadlessSwitch(stateDir: killed.stateDir)
        #expect(try next.connect(["show version"]).status == 0)
        let status = next.stop()
        #expect(status == 0, "wait status \(status)")
        #expect(!FileManager.default.fileExists(atPath: next.socketPath), "a stopped switch removes its socket")
    }

    @Test func aStoppingSwitchEndsConnectedSessionsWithAMessage() throws {
        let sw = try HeadlessSwitch()
        guard let serial = try SerialLine(switch: sw) else { return }
        #expect(serial.terminal.wait(for: "vmready>") != nil)
        #expect(sw.stop() == 0)
        #expect(serial.terminal.wait(for: "% The switch is shutting down") != nil, "\(serial.terminal.unread)")
        #expect(serial.waitForExit() == 1)
    }
}

/// One run of the built binary with its stdin from /dev/null.
enum BatchRun {
    static func vmready(_ arguments: [String]) throws -> HeadlessSwitch.Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vmready-run-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path, err = dir.appendingPathComponent("err").path
        let pid = try ChildProcess.spawn(try TmuxTerminal.vmreadyBinary().path, arguments, stdoutPath: out, stderrPath: err)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return HeadlessSwitch.Result(status: status & 0x7f == 0 ? (status >> 8) & 0xff : -1,
                                     stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                                     stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
