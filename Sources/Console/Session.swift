import CommandEngine
import Foundation

/// One level of the mode stack: the mode, and the arguments of the command that entered it
/// (the VLAN of `vlan 100`, the ports of `interface port 1-4`).
public struct ModeFrame: Sendable, Hashable {
    public let mode: ModeID
    public let arguments: Arguments
}

/// Where a session's lines come from.
public enum SessionKind: String, Sendable {
    case terminal
    case batch
}

/// The state of one CLI session: its mode stack, terminal settings and history.
/// Owned by the thread that runs the session.
public final class Session {
    public let kind: SessionKind
    /// The exec level (user or privileged) at the bottom, config modes above it.
    public internal(set) var stack: [ModeFrame]
    /// Lines per page; nil follows the window height, 0 disables paging.
    public var terminalLength: Int?
    /// This session's commands, oldest first.
    public private(set) var history: [String] = []
    /// Who this session is, as the archive and logs name it: `console (root)`, `batch (ops)`.
    public var name: String
    /// Asks the operator a yes/no question; nil (batch sessions) means yes without asking.
    public var confirmer: ((String) -> Bool)?
    /// Set when the session should end (`exit` at exec level, `logout`).
    public private(set) var isClosed = false
    /// The line the session is on (`con 0`, `vty 2`), for `show users` and `clear line`;
    /// nil for a local batch, which is the process itself rather than a login.
    public var line: SessionLine?
    /// Reads a secret after showing the prompt (no echo on a terminal; the next line of a
    /// batch); nil when the session cannot be asked, or the operator gave up.
    public var passwordReader: ((String) -> String?)?

    let userExec: ModeID
    let privilegedExec: ModeID

    public init(kind: SessionKind, engine: CommandEngine, privileged: Bool) throws(ShellSetupError) {
        guard let user = engine.mode(named: "user-exec"), let priv = engine.mode(named: "privileged-exec") else {
            throw ShellSetupError(message: "grammar lacks the user-exec and privileged-exec modes")
        }
        self.kind = kind
        name = (kind == .terminal ? "console" : "batch") + " (\(LocalUser.name))"
        userExec = user
        privilegedExec = priv
        stack = [ModeFrame(mode: privileged ? priv : user, arguments: Arguments())]
    }

    /// The mode the session is in now.
    public var mode: ModeID { stack[stack.count - 1].mode }

    public var isPrivileged: Bool { stack[0].mode == privilegedExec }

    /// True in global config or any config sub-mode.
    public var inConfig: Bool { stack.count > 1 }

    func record(_ line: String) {
        history.append(line)
        if history.count > 500 { history.removeFirst(history.count - 500) }
    }

    func enter(_ mode: ModeID, arguments: Arguments) {
        stack.append(ModeFrame(mode: mode, arguments: arguments))
    }

    /// Pops config modes until `mode` is on top (used when a line fell through to a parent).
    func unwind(to mode: ModeID) {
        while stack.count > 1 && stack[stack.count - 1].mode != mode { stack.removeLast() }
    }

    /// `exit`: one mode up, or the end of the session at exec level.
    public func exitMode() {
        if stack.count > 1 { stack.removeLast() } else { isClosed = true }
    }

    /// `end` and Ctrl-Z: back to privileged exec.
    public func endConfig() {
        stack.removeSubrange(1...)
    }

    public func close() { isClosed = true }

    public func setPrivileged(_ on: Bool) {
        stack = [ModeFrame(mode: on ? privilegedExec : userExec, arguments: Arguments())]
    }
}

/// The grammar does not provide what the shell needs.
public struct ShellSetupError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
