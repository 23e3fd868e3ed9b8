import Console
import Foundation

/// `show users`: the sessions on the switch's lines, the caller's marked.
struct UsersReport: ShowReport {
    struct UserLine: Encodable {
        /// `con 0`, `vty 2`, ...
        var line: String
        var user: String
        var idleSeconds: Int
        /// `config` or `exec`.
        var mode: String
        /// Where the session comes from (an SSH client's address, a local socket).
        var from: String
        /// The session that asked.
        var current: Bool
    }

    /// One per line in use.
    var sessions: [UserLine]

    init(_ sw: VMreadySwitch, caller: SessionLine?) {
        let now = Date()
        sessions = sw.lines.all.map { line in
            UserLine(line: line.name, user: line.user, idleSeconds: max(0, Int(now.timeIntervalSince(line.lastInput))),
                 mode: line.inConfig ? "config" : "exec", from: line.from, current: line === caller)
        }
    }

    var lines: [String] {
        let userWidth = max(17, sessions.map(\.user.count).max() ?? 0) + 1
        var out = ["    Line     " + pad("User", userWidth) + "Idle      Mode     From"]
        for l in sessions {
            let idle = l.idleSeconds
            let clock = String(format: "%02d:%02d:%02d", idle / 3600, idle / 60 % 60, idle % 60)
            out.append((l.current ? "*   " : "    ") + pad(l.line, 9) + pad(l.user, userWidth) + pad(clock, 10) + pad(l.mode, 9) + l.from)
        }
        return out
    }
}
