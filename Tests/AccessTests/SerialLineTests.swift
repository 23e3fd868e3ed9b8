import Foundation
import Testing

/// `vmready connect` on a serial line (a socat pty pair): a full console session with
/// TAB and `?`; the line can be cleared and times out when idle.
@Suite struct SerialLineTests {
    @Test func aSerialConsoleCompletesDescribesAndExits() throws {
        let sw = try HeadlessSwitch()
        guard let serial = try SerialLine(switch: sw) else { return }
        let term = serial.terminal
        #expect(term.wait(for: "vmready>") != nil, "no user-exec prompt: \(term.unread)")
        if let ms = serial.startMilliseconds {
            print("access.serial_session_start_ms \((ms * 10).rounded() / 10) ms (connect exec to prompt, debug build)")
        }
        term.type("sh\t")
        // libedit draws only what TAB inserted.
        #expect(term.wait(for: "ow ") != nil, "TAB did not complete `sh`: \(term.unread)")
        term.type("?")
        // The help, then the completed line redrawn as `vmready>show `.
        let help = term.wait(for: "vmready>show ")
        #expect(help?.contains("users") == true && help?.contains("Sessions on the switch's lines") == true, "\(help ?? term.unread)")
        term.type("users\r")
        let users = term.wait(for: "vmready>")
        #expect(users?.contains("*   vty 1") == true, "\(users ?? term.unread)")
        #expect(users?.contains("pts/") == true, "the line names its tty: \(users ?? term.unread)")
        term.type("exit\r")
        #expect(serial.waitForExit() == 0)
        var after = ""
        let gone = try HeadlessSwitch.eventually {
            after = try sw.connect(["show users"]).stdout
            return !after.contains("pts/")
        }
        #expect(gone, "the serial session is still listed:\n\(after)")
    }

    @Test func clearLineEndsTheSessionAndTellsItsTerminal() throws {
        let sw = try HeadlessSwitch()
        guard let serial = try SerialLine(switch: sw) else { return }
        #expect(serial.terminal.wait(for: "vmready>") != nil)
        let cleared = try sw.connect(["enable", "clear line 1", "show logging"])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(serial.terminal.wait(for: "% Line cleared by vty 2 (\(RemoteBatchTests.me))") != nil, "\(serial.terminal.unread)")
        #expect(serial.waitForExit() == 1)
        #expect(cleared.stdout.contains("vty 1 (\(RemoteBatchTests.me)) cleared by vty 2"), "\(cleared.stdout)")
        let missing = try sw.connect(["enable", "clear line 7"])
        #expect(missing.stderr.contains("% Line vty 7 is not in use"), "\(missing.stderr)")
    }

    @Test func anIdleSessionIsLoggedOutAfterExecTimeout() throws {
        let sw = try HeadlessSwitch()
        guard let serial = try SerialLine(switch: sw) else { return }
        #expect(serial.terminal.wait(for: "vmready>") != nil)
        // Set while the session waits: it applies at once, not after the old 10 minutes.
        #expect(try sw.connect(["enable", "configure terminal", "exec-timeout 0 1"]).status == 0)
        #expect(serial.terminal.wait(for: "% Session timed out (exec-timeout)", seconds: 15) != nil, "\(serial.terminal.unread)")
        #expect(serial.waitForExit() == 1)
        let log = try sw.connect(["enable", "show logging"]).stdout
        #expect(log.contains("vty 1 (\(RemoteBatchTests.me)) logged out (idle timeout)"), "\(log)")
    }
}
