import CommandEngine

/// A rejected line: where the caret goes (if anywhere) and the message.
public struct LineError: Sendable, Hashable {
    public let caretColumn: Int?
    public let message: String

    /// The error block under a line echoed after `indent` characters (a prompt, `line N: `).
    public func lines(indent: Int) -> [String] {
        var out: [String] = []
        if let c = caretColumn { out.append(String(repeating: " ", count: indent + c) + "^") }
        out.append(message)
        return out
    }
}

/// The result of one line: its output, and the error if it was rejected or failed.
public struct LineOutcome: Sendable {
    public var output: [String] = []
    public var error: LineError?
    /// The line as history keeps it: a secret typed in it is masked.
    public var historyLine: String?
    public var succeeded: Bool { error == nil }
}

/// The line-processing core shared by terminal and batch sessions: parse, navigate modes,
/// dispatch to the handler, filter the output. It does no I/O itself.
public final class Shell {
    public let host: any CommandHost
    public let session: Session
    private let handlers: [String: CommandHandler]

    public init(host: any CommandHost, kind: SessionKind, privileged: Bool) throws(ShellSetupError) {
        self.host = host
        session = try Session(kind: kind, engine: host.engine, privileged: privileged)
        handlers = (SessionCommands.table + host.handlers).byAction
    }

    public var engine: CommandEngine { host.engine }

    /// The prompt for the current mode, e.g. `vmready(config-if)#`.
    public var prompt: String { host.hostname + engine.info(session.mode).definition.prompt }

    /// Runs one line.
    public func run(_ line: String) -> LineOutcome {
        var outcome = LineOutcome()
        switch engine.parse(line, in: session.mode) {
        case .empty, .comment:
            return outcome
        case .failure(let e):
            session.record(line)
            outcome.historyLine = line
            outcome.error = LineError(caretColumn: e.caretColumn, message: e.message)
        case .command(let command):
            let recorded = host.historyText(of: command) ?? line
            session.record(recorded)
            outcome.historyLine = recorded
            run(command, into: &outcome)
        }
        // Other sessions see at once who is in configuration mode.
        session.line?.setInConfig(session.inConfig)
        return outcome
    }

    private func run(_ command: MatchedCommand, into outcome: inout LineOutcome) {
        guard let handler = handlers[command.action] else {
            // Unreachable while the handler-coverage test passes; still never crash a session.
            outcome.error = LineError(caretColumn: nil, message: "% No handler for '\(command.action)'")
            return
        }
        let saved = session.stack
        if !command.viaDo { session.unwind(to: command.mode) }
        let context = CommandContext(command: command, session: session)
        do {
            try handler(context)
        } catch {
            session.stack = saved
            outcome.error = LineError(caretColumn: nil, message: error.message)
            return
        }
        if let mode = command.enters { session.enter(mode, arguments: command.arguments) }
        if let filter = command.filter, OutputFilter.formatActions.contains(filter.action) {
            switch context.jsonDocument {
            case .success(let document)?:
                outcome.output = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            case .failure(let failure)?:
                outcome.error = LineError(caretColumn: nil, message: failure.message)
            case nil:
                outcome.error = LineError(caretColumn: nil, message: "% This command has no JSON output")
            }
        } else if let filter = command.filter {
            do {
                outcome.output = try OutputFilter.apply(filter, to: context.output)
            } catch {
                outcome.output = []
                outcome.error = LineError(caretColumn: nil, message: error.message)
            }
        } else {
            outcome.output = context.output
        }
    }

    /// What `?` shows after `line`, as lines.
    public func help(_ line: String) -> (lines: [String], error: LineError?) {
        switch engine.describe(line, in: session.mode) {
        case .next(let entries):
            let width = entries.map(\.token.count).max() ?? 0
            return (entries.map { e in
                let padded = e.token + String(repeating: " ", count: width - e.token.count)
                return e.help.isEmpty ? "  " + e.token : "  " + padded + "  " + e.help
            }, nil)
        case .words(let words):
            return ([words.joined(separator: "  ")], nil)
        case .failure(let e):
            return ([], LineError(caretColumn: e.caretColumn, message: e.message))
        }
    }

    /// What TAB can insert after `line`.
    public func complete(_ line: String) -> Completion {
        engine.complete(line, in: session.mode) { [host] slot in host.completionValues(for: slot) }
    }
}

