/// Why a line was rejected. Each case prints as cli.md prescribes.
public enum ParseError: Error, Sendable, Hashable {
    /// No command accepts the token starting at `column`.
    case invalid(column: Int)
    /// The line is a valid prefix of a command.
    case incomplete
    /// `text` (the line up to the ambiguous word) fits more than one keyword.
    case ambiguous(text: String, column: Int)
    /// A control character (named as `^[`, `U+202E`) at `column`: refused in any command.
    case controlCharacter(name: String, column: Int)

    /// The message line, exactly as operators expect it.
    public var message: String {
        switch self {
        case .invalid: return "% Invalid input detected at '^' marker."
        case .incomplete: return "% Incomplete command."
        case .ambiguous(let text, _): return "% Ambiguous command: \"\(text)\""
        case .controlCharacter(let name, _): return "% Control character \(name) is not allowed, at '^' marker."
        }
    }

    /// The caret column, when the error points at a word.
    public var caretColumn: Int? {
        switch self {
        case .invalid(let c), .controlCharacter(_, let c): return c
        case .incomplete, .ambiguous: return nil
        }
    }

    /// How far into the line the error was found: with fall-through to parent modes, the
    /// mode that understood most of the line gives the most useful error.
    var progress: Int {
        switch self {
        case .invalid(let c): return c
        case .ambiguous(_, let c): return c
        case .controlCharacter: return Int.max
        case .incomplete: return Int.max
        }
    }
}

/// The output modifier after `|`.
public struct MatchedFilter: Sendable, Hashable {
    public let action: String
    public let arguments: Arguments
}

/// A line the engine accepted: which action to run, with what.
public struct MatchedCommand: Sendable, Hashable {
    public let action: String
    public let arguments: Arguments
    /// Every keyword of the line in full, lower-case (`show`, `running-config`, ...).
    public let keywords: [String]
    /// The mode the command belongs to: the session's mode, a parent it fell through to,
    /// or the `do` target.
    public let mode: ModeID
    /// True when the line ran through `do`.
    public let viaDo: Bool
    /// The mode the command enters on success.
    public let enters: ModeID?
    public let filter: MatchedFilter?

    public func has(keyword: String) -> Bool { keywords.contains(keyword) }
}

/// The engine's verdict on one line.
public enum ParseResult: Sendable, Hashable {
    case empty
    case comment
    case command(MatchedCommand)
    case failure(ParseError)
}
