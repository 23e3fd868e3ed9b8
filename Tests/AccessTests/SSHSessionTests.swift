import Foundation
import Testing
import TestSupport

/// Operators over a real OpenSSH server (ForceCommand `vmready connect`), driven through
/// `ssh -tt` in tmux: the console as they see it, two of them at once, and one whose
/// connection drops.
@Suite struct SSHSessionTests {
    static let user = "vmready>"
    static let exec = "vmready#"
    static let config = "vmready(config)#"
    static let configVLAN = "vmready(config-vlan)#"

    @Test(.enabled(if: isRoot, "needs root: creates an operator account and runs sshd (CI runs as root)"))
    func twoOperatorsOverSSHAndADroppedConnection() throws {
        let account = try OperatorAccount()
        let sw = try HeadlessSwitch() // after the account, so the socket gets group vmready
        let sshd = try SSHServer(account: account, switch: sw)
        let baseline = sw.threadNames().count
        let name = account.user

        let a = try TmuxTerminal(rows: 30, columns: 100) { _ in sshd.clientCommand }
        defer { a.close() }
        try a.waitUntil("the user-exec prompt over ssh (sshd: \(sshd.log))") { $0.isAtPrompt(Self.user) }
        // TAB and `?` over ssh, as on the console.
        try a.type("sh")
        try a.waitUntil("the echo of `sh`") { $0.isAtPrompt(Self.user, typed: "sh") }
        try a.press("Tab")
        try a.waitUntil("`show ` after TAB") { $0.isAtPrompt(Self.user, typed: "show ") }
        try a.press("?")
        let help = try a.waitUntil("the `show ?` list, then the line redrawn") { s in
            (s.lines(after: Self.user + "show ?")?.contains { $0.hasPrefix("  users ") } ?? false)
                && s.isAtPrompt(Self.user, typed: "show ")
        }
        #expect(help.lines.contains { $0.hasPrefix("  version ") }, "\(help)")
        try a.press("C-c")
        try a.waitUntil("a fresh prompt after Ctrl-C") { $0.isAtPrompt(Self.user) }
        try a.run("enable", at: Self.user, then: Self.exec)
        try a.run("configure terminal", at: Self.exec, then: Self.config)
        try a.run("vlan 77", at: Self.config, then: Self.configVLAN)
        try a.run("name from-ssh", at: Self.configVLAN)

        // A second operator sees the change at once, and who else is on.
        let b = try TmuxTerminal(rows: 30, columns: 100) { _ in sshd.clientCommand }
        defer { b.close() }
        try b.waitUntil("the second session's prompt") { $0.isAtPrompt(Self.user) }
        let users = try b.run("show users", at: Self.user)
        let table = users.lines(after: Self.user + "show users") ?? []
        #expect(table.contains { $0.hasPrefix("    vty 1    \(name)") && $0.contains("config") && $0.hasSuffix("127.0.0.1") },
                "\(users)")
        #expect(table.contains { $0.hasPrefix("*   vty 2    \(name)") && $0.hasSuffix("127.0.0.1") }, "\(users)")
        try b.run("enable", at: Self.user, then: Self.exec)
        let seen = try b.run("show running-config | include from-ssh", at: Self.exec)
        #expect(seen.lines(after: Self.exec + "show running-config | include from-ssh")?.first == "        name \"from-ssh\"",
                "\(seen)")
        let warned = try b.run("configure terminal", at: Self.exec, then: Self.config)
        #expect(warned.lines(after: Self.exec + "configure terminal")?.first
                == "% Warning: line vty 1 (\(name)) is also in configuration mode", "\(warned)")
        try b.run("end", at: Self.config, then: Self.exec)

        // The first operator's connection drops: ssh killed -9 mid-configuration.
        kill(try a.panePID(), SIGKILL)
        var listed = ""
        let gone = try HeadlessSwitch.eventually {
            listed = try sw.connect(["show users"]).stdout
            return !listed.contains("vty 1    \(name)")
        }
        #expect(gone, "the dropped session is still listed:\n\(listed)")
        #expect(HeadlessSwitch.eventually { !sw.threadNames().contains("vty 1") }, "\(sw.threadNames())")
        // The switch still answers, and the configuration lock was not left held.
        try b.run("configure terminal", at: Self.exec, then: Self.config)
        try b.run("vlan 78", at: Self.config, then: Self.configVLAN)
        try b.run("end", at: Self.configVLAN, then: Self.exec)
        let log = try b.run("show logging | include vty 1", at: Self.exec)
        #expect(log.lines.contains { $0.hasSuffix("access: vty 1 (\(name)) logged out (connection lost)") }, "\(log)")

        try b.type("exit")
        try b.waitUntil("the echo of exit") { $0.isAtPrompt(Self.exec, typed: "exit") }
        try b.press("Enter")
        let closed = try b.waitUntilExited()
        #expect(closed.exitStatus == 0, "\(closed)")
        #expect(HeadlessSwitch.eventually { sw.threadNames().count == baseline },
                "threads: \(sw.threadNames()) (baseline \(baseline))")
    }
}
