import Foundation
import TestSupport
import Testing

// What only a terminal shows (craft.md, "A real terminal"; cli.md, "Help and completion",
// "Keys on a terminal", "Output"): the built vmready binary driven in tmux.

private let exec = "vmready#"
private let config = "vmready(config)#"
private let configVLAN = "vmready(config-vlan)#"

/// Starts vmready in a fresh tmux window and waits for its first prompt.
private func startSwitch(rows: Int = 30) throws -> TmuxTerminal {
    let term = try TmuxTerminal(rows: rows, columns: 100)
    do {
        try term.waitUntil("the first `\(exec)` prompt") { $0.isAtPrompt(exec) }
    } catch {
        term.close()
        throw error
    }
    return term
}

/// Runs the lines as a batch session (no terminal, never pages) and returns its stdout as
/// tmux would show it.
private func batchOutput(_ commands: [String]) throws -> [String] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vmready-batch-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = try TmuxTerminal.runProcess(try TmuxTerminal.vmreadyBinary(),
                                          ["--state-dir", dir.path] + commands.flatMap { ["-c", $0] })
    var lines = out.components(separatedBy: "\n").map(trimmingTrailingSpaces)
    if lines.last == "" { lines.removeLast() }
    return lines
}

/// "token   help text" with the column padding collapsed to one space.
private func collapsed(_ line: String) -> String {
    line.split(separator: " ").joined(separator: " ")
}

@Suite("vmready on a real terminal (tmux)")
struct TerminalTests {
    @Test("TAB completes a unique keyword and adds a space")
    func tabCompletesUniqueKeyword() throws {
        let term = try startSwitch()
        defer { term.close() }
        try term.type("sh")
        try term.waitUntil("the echo of `sh`") { $0.isAtPrompt(exec, typed: "sh") }
        try term.press("Tab")
        try term.waitUntil("`show ` after TAB") { $0.isAtPrompt(exec, typed: "show ") }
    }

    @Test("TAB with several candidates completes their common prefix, then lists them")
    func tabWithSeveralCandidates() throws {
        let term = try startSwitch()
        defer { term.close() }
        try term.type("ter")
        try term.waitUntil("the echo of `ter`") { $0.isAtPrompt(exec, typed: "ter") }
        // `terminal` and `terminal-length` share the prefix `terminal`.
        try term.press("Tab")
        try term.waitUntil("the common prefix `terminal`") { $0.isAtPrompt(exec, typed: "terminal") }
        try term.press("Tab")
        let screen = try term.waitUntil("the candidates, then the line redrawn") { s in
            s.cursorRow >= 2 && s.isAtPrompt(exec, typed: "terminal")
                && s.lines[s.cursorRow - 2] == exec + "terminal"
                && !s.lines[s.cursorRow - 1].isEmpty
        }
        #expect(screen.lines[screen.cursorRow - 1].split(separator: " ") == ["terminal", "terminal-length"],
                "\(screen)")
    }

    @Test("`?` lists the next tokens with help and redraws the line without inserting `?`")
    func questionMarkListsNextTokens() throws {
        let term = try startSwitch()
        defer { term.close() }
        try term.type("show ")
        try term.waitUntil("the echo of `show `") { $0.isAtPrompt(exec, typed: "show ") }
        try term.press("?")
        let screen = try term.waitUntil("the help list, then `vmready#show ` redrawn") { s in
            guard let after = s.lines(after: exec + "show ?") else { return false }
            return after.count > 1 && after.last == exec + "show" && s.isAtPrompt(exec, typed: "show ")
        }
        let help = (screen.lines(after: exec + "show ?") ?? []).dropLast().map(collapsed)
        #expect(help.contains("running-config Current operating configuration"), "\(screen)")
        #expect(help.contains { $0.hasPrefix("version ") }, "\(screen)")
        let keywords = help.compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.first?.isLowercase == true }
        #expect(keywords == keywords.sorted(), "keywords are listed alphabetically\n\(screen)")

        // The line is still `show ` (no `?` in it): Enter runs an incomplete command.
        try term.press("Enter")
        let done = try term.waitUntil("the error and a fresh prompt") { s in
            s.isAtPrompt(exec) && s.lines(after: exec + "show")?.isEmpty == false
        }
        #expect(done.lines(after: exec + "show") == ["% Incomplete command.", exec], "\(done)")
    }

    @Test("Ctrl-Z returns to privileged exec from any config mode, and does nothing there")
    func ctrlZEndsConfiguration() throws {
        let term = try startSwitch()
        defer { term.close() }
        try term.run("conf t", at: exec, then: config)
        try term.press("C-z")
        try term.waitUntil("`vmready#` after Ctrl-Z in config") { $0.isAtPrompt(exec) }

        // From a sub-mode, with a partly typed line: the line is dropped, the mode left.
        try term.run("configure terminal", at: exec, then: config)
        try term.run("vlan 2", at: config, then: configVLAN)
        try term.type("name web")
        try term.waitUntil("the echo of `name web`") { $0.isAtPrompt(configVLAN, typed: "name web") }
        try term.press("C-z")
        try term.waitUntil("`vmready#` after Ctrl-Z in config-vlan") { $0.isAtPrompt(exec) }

        // Already in privileged exec: a fresh prompt, the session goes on.
        try term.press("C-z")
        let screen = try term.waitUntil("a fresh prompt after Ctrl-Z in exec") { s in
            s.isAtPrompt(exec) && s.lines(after: exec + "^Z") == [exec]
        }
        #expect(!screen.isDead)
    }

    @Test("Ctrl-C abandons a partly typed line and gives a fresh prompt")
    func ctrlCAbandonsLine() throws {
        let term = try startSwitch()
        defer { term.close() }
        // On an empty line it is not Ctrl-D: the session goes on.
        try term.press("C-c")
        try term.waitUntil("a fresh prompt after Ctrl-C on an empty line") { s in
            s.isAtPrompt(exec) && s.lines(after: exec + "^C") == [exec]
        }

        try term.run("configure terminal", at: exec, then: config)
        try term.type("hostname foo")
        try term.waitUntil("the echo of `hostname foo`") { $0.isAtPrompt(config, typed: "hostname foo") }
        try term.press("C-c")
        try term.waitUntil("a fresh config prompt after Ctrl-C") { s in
            s.isAtPrompt(config) && s.lines(after: config + "hostname foo^C") == [config]
        }
        // Had the line run, the prompt would now be `foo#`.
        try term.run("end", at: config, then: exec)
        let screen = try term.run("show running-config | include hostname", at: exec)
        #expect(screen.lines(after: exec + "show running-config | include hostname") == [exec], "\(screen)")
    }

    @Test("Output taller than the window stops at --More--; `terminal length 0` turns paging off")
    func longOutputPages() throws {
        let vlans = 2...9
        let setup = ["configure terminal"] + vlans.flatMap { ["vlan \($0)", "exit"] } + ["end"]
        // The same configuration rendered by a batch session, which never pages.
        let full = try batchOutput(setup + ["show running-config"])
        let page = 9 // a 10-row window, less the --More-- line
        try #require(full.count > 2 * page + 2, "running-config too short to page: \(full)")

        let term = try startSwitch(rows: page + 1)
        defer { term.close() }
        try term.run("configure terminal", at: exec, then: config)
        for vlan in vlans {
            try term.run("vlan \(vlan)", at: config, then: configVLAN)
            try term.run("exit", at: configVLAN, then: config)
        }
        try term.run("end", at: config, then: exec)

        let command = exec + "show running-config"
        func shown(_ s: Screen) -> [String]? { s.lines(after: command) }
        try term.type("show running-config")
        try term.waitUntil("the echo of the command") { $0.isAtPrompt(exec, typed: "show running-config") }
        try term.press("Enter")
        try term.waitUntil("the first page") { shown($0) == Array(full.prefix(page)) + ["--More--"] }
        try term.press("Space")
        try term.waitUntil("the second page after space") { shown($0) == Array(full.prefix(2 * page)) + ["--More--"] }
        try term.press("Enter")
        try term.waitUntil("one more line after enter") { shown($0) == Array(full.prefix(2 * page + 1)) + ["--More--"] }
        try term.press("q")
        try term.waitUntil("the prompt after q, the rest not shown") { s in
            s.isAtPrompt(exec) && shown(s) == Array(full.prefix(2 * page + 1)) + [exec]
        }

        // Ctrl-C at --More-- stops the output too (and is a key there, not a signal).
        try term.type("show running-config")
        try term.waitUntil("the echo of the command") { $0.isAtPrompt(exec, typed: "show running-config") }
        try term.press("Enter")
        try term.waitUntil("the first page") { shown($0) == Array(full.prefix(page)) + ["--More--"] }
        try term.press("C-c")
        try term.waitUntil("the prompt after Ctrl-C at --More--") { s in
            s.isAtPrompt(exec) && shown(s) == Array(full.prefix(page)) + [exec]
        }

        try term.run("terminal length 0", at: exec)
        try term.type("show running-config")
        try term.waitUntil("the echo of the command") { $0.isAtPrompt(exec, typed: "show running-config") }
        try term.press("Enter")
        try term.waitUntil("the whole output without --More--") { s in
            s.isAtPrompt(exec) && shown(s) == full + [exec]
        }
    }

    @Test("Ctrl-D on an empty line is `exit`: config to exec, then the session ends")
    func ctrlDExits() throws {
        let term = try startSwitch()
        defer { term.close() }
        try term.run("configure terminal", at: exec, then: config)
        try term.press("C-d")
        try term.waitUntil("`vmready#` after Ctrl-D in config") { $0.isAtPrompt(exec) }
        try term.press("C-d")
        let screen = try term.waitUntil("vmready to exit") { $0.isDead }
        #expect(screen.exitSignal == nil && screen.exitStatus == 0, "\(screen)")
    }

    @Test("`reload` asks for confirmation on a terminal: n cancels, Enter reloads from flash")
    func reloadConfirms() throws {
        let term = try startSwitch()
        defer { term.close() }
        try term.run("configure terminal", at: exec, then: config)
        try term.run("hostname saved", at: config, then: "saved(config)#")
        try term.run("end", at: "saved(config)#", then: "saved#")
        try term.run("write memory", at: "saved#")
        try term.run("configure terminal", at: "saved#", then: "saved(config)#")
        try term.run("hostname unsaved", at: "saved(config)#", then: "unsaved(config)#")
        try term.run("end", at: "unsaved(config)#", then: "unsaved#")

        try term.type("reload")
        try term.waitUntil("the echo of `reload`") { $0.isAtPrompt("unsaved#", typed: "reload") }
        try term.press("Enter")
        try term.waitUntil("the confirmation question") { $0.cursorLine == "Proceed with reload? [confirm]" }
        try term.press("n")
        try term.waitUntil("the cancellation") { s in
            s.isAtPrompt("unsaved#") && s.lines.contains("% Reload cancelled")
        }

        try term.type("reload")
        try term.waitUntil("the echo of `reload` again") { $0.isAtPrompt("unsaved#", typed: "reload") }
        try term.press("Enter")
        try term.waitUntil("the confirmation question again") { $0.cursorLine == "Proceed with reload? [confirm]" }
        try term.press("Enter")
        try term.waitUntil("the switch back on its saved configuration") { s in
            s.isAtPrompt("saved#") && s.lines.contains("Reloaded from flash.")
        }
    }

    @Test("Non-ASCII text is kept, and Backspace deletes a whole character, with no locale set")
    func nonASCIITextIsEditedByCharacter() throws {
        // A service or a serial getty often starts the switch with no LANG at all.
        let term = try TmuxTerminal(rows: 30, columns: 100) { dir in
            ["/usr/bin/env", "-u", "LANG", "-u", "LC_CTYPE", "LC_ALL=C", try TmuxTerminal.vmreadyBinary().path,
             "--state-dir", dir.appendingPathComponent("state").path]
        }
        defer { term.close() }
        try term.waitUntil("the first `\(exec)` prompt") { $0.isAtPrompt(exec) }
        try term.run("configure terminal", at: exec, then: config)
        try term.run("interface port 1", at: config, then: "vmready(config-if)#")
        try term.type("description \"café ünï\"")
        try term.waitUntil("the echo of the description") { $0.isAtPrompt("vmready(config-if)#", typed: "description \"café ünï\"") }
        // Two characters left (past `"` and `ï`), then Backspace removes `n`, not a byte of `ï`.
        try term.press("Left", "Left", "BSpace")
        try term.waitUntil("the line after Backspace, the cursor before `ï`") { s in
            s.cursorLine == "vmready(config-if)#description \"café üï\"" && s.cursorX == "vmready(config-if)#description \"café ü".count
        }
        try term.press("Enter")
        try term.waitUntil("the prompt after the description") { $0.isAtPrompt("vmready(config-if)#") }
        let screen = try term.run("do show running-config | include description", at: "vmready(config-if)#")
        #expect(screen.lines(after: "vmready(config-if)#do show running-config | include description")?.first
                == "        description \"café üï\"", "\(screen)")
    }
}
