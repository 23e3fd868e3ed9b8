import Foundation

/// A test failed while driving the terminal; the description carries what was on screen.
public struct TerminalTestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// One snapshot of the tmux pane: every line (scrollback first), the cursor, and whether
/// the program in it has exited.
public struct Screen: CustomStringConvertible {
    /// Scrollback then the visible rows, trailing spaces trimmed by tmux.
    public let lines: [String]
    /// Index in `lines` of the row holding the cursor.
    public let cursorRow: Int
    public let cursorX: Int
    /// The program exited and its exit status or signal is known (tmux may see the
    /// pane's terminal close a moment before it reaps the program).
    public let isDead: Bool
    public let exitStatus: Int?
    public let exitSignal: Int?

    /// The text of the row the cursor is on.
    public var cursorLine: String { lines.indices.contains(cursorRow) ? lines[cursorRow] : "" }

    /// True when the cursor row holds `prompt` then `typed` and nothing else, with the
    /// cursor at its end (tmux trims trailing spaces; the cursor column still counts them).
    public func isAtPrompt(_ prompt: String, typed: String = "") -> Bool {
        let text = prompt + typed
        return !isDead && cursorLine == trimmingTrailingSpaces(text) && cursorX == text.count
    }

    /// The lines after the last row that is exactly `line` (the echoed command), up to
    /// and including the cursor row; nil when there is no such row.
    public func lines(after line: String) -> [String]? {
        let end = min(cursorRow, lines.count - 1)
        guard end >= 0, let start = lines[...end].lastIndex(of: line) else { return nil }
        return Array(lines[(start + 1)..<(end + 1)])
    }

    public var description: String {
        var rows = Array(lines.prefix(cursorRow + 1).suffix(40))
        while rows.last == "" { rows.removeLast() }
        let shown = rows.joined(separator: "\n")
        return "--- screen (cursor at column \(cursorX)\(isDead ? ", exited with " + (exitSignal.map { "signal \($0)" } ?? "status \(exitStatus ?? -1)") : "")) ---\n\(shown)\n---"
    }
}

/// A program (the real `vmready` binary, an `ssh -tt` to it) running in its own detached
/// tmux server and session. Shared by the terminal tests and the access tests.
public final class TmuxTerminal {
    public let rows: Int
    public let columns: Int
    /// A fresh temp dir for this terminal (removed on close): tmux's socket and config, and
    /// whatever the command keeps there.
    public let stateDir: URL
    private let tmux: URL
    /// The tmux server's socket, in `stateDir`: its own server, removed with the dir
    /// (tmux leaves its socket behind when the server exits).
    private let socket: String
    private let session: String
    private var closed = false

    /// Starts the command `command(stateDir)` returns in a `columns` x `rows` window.
    public init(rows: Int = 30, columns: Int = 100, command: (URL) throws -> [String]) throws {
        self.rows = rows
        self.columns = columns
        tmux = try Self.tmuxExecutable()
        let id = UUID().uuidString.prefix(8).lowercased()
        session = "vmready-\(id)"
        stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("vmready-tty-\(id)")
        socket = stateDir.appendingPathComponent("tmux.sock").path
        try FileManager.default.createDirectory(at: stateDir, withIntermediateDirectories: true)
        // Our own config (read when the server starts, so before the binary can exit):
        // keep a pane whose program exited, to read its exit status; no status line, so
        // the pane is the whole window.
        let conf = stateDir.appendingPathComponent("tmux.conf")
        try "set -g remain-on-exit on\nset -g status off\nset -g history-limit 5000\n"
            .write(to: conf, atomically: true, encoding: .utf8)
        try tmuxCommand(["-f", conf.path, "new-session", "-d", "-s", session,
                         "-x", String(columns), "-y", String(rows)] + command(stateDir))
    }

    deinit { close() }

    /// Kills the tmux server (and with it the switch) and removes the temp dir.
    public func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmuxCommand(["kill-server"])
        try? FileManager.default.removeItem(at: stateDir)
    }

    // MARK: Keys

    /// Types `text` literally (no key-name lookup: `end` is text, not the End key).
    public func type(_ text: String) throws {
        try tmuxCommand(["send-keys", "-t", session, "-l", text])
    }

    /// Presses tmux-named keys: `Enter`, `Tab`, `Space`, `C-c`, `C-z`, `C-d`, `q`.
    public func press(_ keys: String...) throws {
        try tmuxCommand(["send-keys", "-t", session] + keys)
    }

    /// Types a command at `prompt`, waits for its echo, presses Enter, and waits for
    /// `nextPrompt` (the same prompt when nil) with an empty line after it.
    @discardableResult
    public func run(_ command: String, at prompt: String, then nextPrompt: String? = nil) throws -> Screen {
        try type(command)
        try waitUntil("the echo of `\(command)`") { $0.isAtPrompt(prompt, typed: command) }
        try press("Enter")
        return try waitUntil("the prompt `\(nextPrompt ?? prompt)` after `\(command)`") {
            $0.isAtPrompt(nextPrompt ?? prompt)
        }
    }

    // MARK: Screen

    public func screen() throws -> Screen {
        let out = try tmuxCommand(["capture-pane", "-p", "-S", "-", "-t", session, ";",
                                   "display-message", "-p", "-t", session,
                                   "#{history_size} #{cursor_y} #{cursor_x} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}"])
        var lines = out.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard let state = lines.popLast() else { throw TerminalTestFailure(description: "empty tmux output") }
        let fields = state.split(separator: " ", omittingEmptySubsequences: false).map { Int($0) }
        guard fields.count == 7, let history = fields[0], let y = fields[1], let x = fields[2] else {
            throw TerminalTestFailure(description: "cannot read the tmux pane state from `\(state)`")
        }
        var status = fields[4], signal = fields[5]
        // tmux sometimes sees the pane's terminal close but is slow to reap the program
        // (a zombie, no status yet): read the status the kernel keeps for it.
        if fields[3] == 1, status == nil, signal == nil, let pid = fields[6],
           let wait = Self.zombieWaitStatus(pid: pid) {
            if wait & 0x7F == 0 { status = (wait >> 8) & 0xFF } else { signal = wait & 0x7F }
        }
        return Screen(lines: lines, cursorRow: history + y, cursorX: x,
                      isDead: fields[3] == 1 && (status != nil || signal != nil),
                      exitStatus: status, exitSignal: signal)
    }

    /// The wait status of `pid` if it is a zombie (Linux: `exit_code`, field 52 of
    /// /proc/PID/stat), else nil.
    private static func zombieWaitStatus(pid: Int) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let paren = stat.lastIndex(of: ")") else { return nil }
        // Fields from 3 (state) on follow the parenthesized command name.
        let fields = stat[stat.index(after: paren)...].split(separator: " ")
        guard fields.count >= 50, fields[0] == "Z" else { return nil }
        return Int(fields[49].trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Polls the pane (every 20 ms, up to `timeout`) until `condition` holds; throws with
    /// the last screen otherwise. Only bounds a wait, never measures anything.
    @discardableResult
    public func waitUntil(_ what: String, timeout: Double = 10, _ condition: (Screen) -> Bool) throws -> Screen {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try screen()
        while !condition(last) {
            guard !last.isDead else {
                throw TerminalTestFailure(description: "vmready exited while waiting for \(what)\n\(last)")
            }
            guard Date() < deadline else {
                throw TerminalTestFailure(description: "timed out waiting for \(what)\n\(last)")
            }
            usleep(20_000)
            last = try screen()
        }
        return last
    }

    /// Polls until the program in the pane has exited (up to `timeout`); its last screen.
    @discardableResult
    public func waitUntilExited(timeout: Double = 10) throws -> Screen {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try screen()
        while !last.isDead {
            guard Date() < deadline else { throw TerminalTestFailure(description: "the program did not exit\n\(last)") }
            usleep(20_000)
            last = try screen()
        }
        return last
    }

    /// The pid of the program in the pane (to kill it as a dropped connection would).
    public func panePID() throws -> pid_t {
        let out = try tmuxCommand(["display-message", "-p", "-t", session, "#{pane_pid}"])
        guard let pid = pid_t(out.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TerminalTestFailure(description: "no pane pid in `\(out)`")
        }
        return pid
    }

    // MARK: Processes

    @discardableResult
    private func tmuxCommand(_ arguments: [String]) throws -> String {
        try Self.runProcess(tmux, ["-S", socket] + arguments)
    }

    /// Runs a program to completion and returns its stdout; throws on a non-zero exit.
    ///
    /// posix_spawn rather than Foundation's Process, for two reasons: the child must start
    /// with no signals blocked (the test runner's threads block SIGTERM and SIGHUP, a tmux
    /// server inheriting that mask ignores `kill-server`, and so would the switch in its
    /// pane), and output goes to files, not pipes a daemonizing tmux server could keep open.
    public static func runProcess(_ executable: URL, _ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        // Never talk to the tmux the tests may themselves be running in.
        environment["TMUX"] = nil
        environment["TMUX_PANE"] = nil
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(executable.path, arguments, environment: environment)
        } catch {
            throw TerminalTestFailure(description: error.description)
        }
        guard result.status == 0 else {
            throw TerminalTestFailure(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) "
                + "failed (status \(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    // MARK: Locating programs

    public static func tmuxExecutable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        for dir in dirs {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent("tmux")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TerminalTestFailure(description:
            "tmux is not installed, and the terminal tests drive vmready in tmux: "
            + "run `make test` (it installs tmux) or `apt-get install tmux`")
    }

    /// `$VMREADY_BIN`, else the `vmready` built next to this test bundle (the products
    /// directory holds both; the bundle may sit one level deeper on some platforms).
    public static func vmreadyBinary() throws -> URL {
        let fm = FileManager.default
        if let override = ProcessInfo.processInfo.environment["VMREADY_BIN"], !override.isEmpty {
            guard fm.isExecutableFile(atPath: override) else {
                throw TerminalTestFailure(description: "VMREADY_BIN=\(override) is not an executable file")
            }
            return URL(fileURLWithPath: override)
        }
        var starts: [URL] = []
        if let path = Bundle.main.executablePath { starts.append(URL(fileURLWithPath: path)) }
        if let arg0 = CommandLine.arguments.first { starts.append(URL(fileURLWithPath: arg0)) }
        starts.append(Bundle.main.bundleURL)
        var tried: [String] = []
        for start in starts {
            var dir = start.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<3 {
                let candidate = dir.appendingPathComponent("vmready")
                tried.append(candidate.path)
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   fm.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw TerminalTestFailure(description:
            "cannot find the built vmready binary (set VMREADY_BIN); looked at:\n" + tried.joined(separator: "\n"))
    }
}

/// What tmux shows of a line: trailing spaces are not kept.
public func trimmingTrailingSpaces(_ line: String) -> String {
    String(line.reversed().drop(while: { $0 == " " }).reversed())
}
