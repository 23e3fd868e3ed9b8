import CommandEngine

/// A command that is valid but cannot be done: the message says why (`% VLAN 100 does not exist`).
public struct CommandFailure: Error, Sendable, Equatable {
    public let message: String

    /// `message` is given without the leading `% `, which is added here.
    public init(_ message: String) { self.message = "% " + message }
}

/// Everything a handler sees: the matched command, the session, and where to print.
public final class CommandContext {
    public let command: MatchedCommand
    public let session: Session
    public private(set) var output: [String] = []
    /// The document `| json` prints: set by `show(_:)`, nil for commands that have none.
    public internal(set) var jsonDocument: Result<String, CommandFailure>?

    init(command: MatchedCommand, session: Session) {
        self.command = command
        self.session = session
    }

    public var arguments: Arguments { command.arguments }

    /// Text, unless the line ends in `| json` or `| json-pretty`.
    public var format: OutputFormat {
        switch command.filter?.action {
        case OutputFilter.json: .json(pretty: false)
        case OutputFilter.jsonPretty: .json(pretty: true)
        default: .text
        }
    }

    /// The arguments of the command that entered the current mode (`vlan 100` → vlan=100).
    public var modeArguments: Arguments { session.stack[session.stack.count - 1].arguments }

    public func print(_ line: String = "") { output.append(line) }

    /// Asks for confirmation on a terminal (`[confirm]`: Enter or y); a batch never asks.
    public func confirm(_ question: String) -> Bool { session.confirmer?(question) ?? true }

    public func print(lines: [String]) { output.append(contentsOf: lines) }
}

/// Runs one grammar action. Output goes to the context; a failure changes nothing.
public typealias CommandHandler = @Sendable (CommandContext) throws(CommandFailure) -> Void

/// The handlers of one subsystem, by action name.
public struct HandlerTable: Sendable {
    public private(set) var entries: [(action: String, handler: CommandHandler)] = []

    public init() {}

    public mutating func on(_ action: String, _ handler: @escaping CommandHandler) {
        entries.append((action, handler))
    }

    public static func + (a: HandlerTable, b: HandlerTable) -> HandlerTable {
        var t = a
        t.entries += b.entries
        return t
    }

    /// Actions registered more than once: each action must have exactly one handler.
    public var duplicateActions: [String] {
        var seen = Set<String>(), dups: [String] = []
        for e in entries where !seen.insert(e.action).inserted { dups.append(e.action) }
        return dups
    }

    var byAction: [String: CommandHandler] {
        Dictionary(entries.map { ($0.action, $0.handler) }, uniquingKeysWith: { first, _ in first })
    }
}

/// What the shell needs from the switch: the engine, the handlers, the hostname for prompts,
/// and the values TAB can complete.
public protocol CommandHost: AnyObject, Sendable {
    var engine: CommandEngine { get }
    var handlers: HandlerTable { get }
    var hostname: String { get }
    func completionValues(for slot: ParameterSlot) -> [String]
    /// How history records this command when it must not keep the line as typed (a secret
    /// in clear); nil keeps the line.
    func historyText(of command: MatchedCommand) -> String?
}

extension CommandHost {
    public func historyText(of command: MatchedCommand) -> String? { nil }
}
