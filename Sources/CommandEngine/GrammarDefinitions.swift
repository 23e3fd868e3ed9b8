/// One element of a command's syntax as written in a grammar file.
indirect enum SyntaxElement: Sendable, Hashable {
    case keyword(String)
    case parameter(ParameterType, name: String)
    /// `( a | b c )` or `[ a | b ]`; a named group `(access|trunk):mode` binds the chosen keyword.
    case group([[SyntaxElement]], optional: Bool, name: String?)
}

/// A `mode` line: a command mode, its prompt suffix and its relations to other modes.
public struct ModeDefinition: Sendable, Hashable {
    public let name: String
    /// What follows the hostname in the prompt, e.g. `(config-if)#`.
    public let prompt: String
    /// The enclosing config mode: `exit` returns there and unmatched lines fall through to it.
    public let parent: String?
    /// Modes whose commands are also available here (privileged exec includes user exec).
    public let includes: [String]
    /// The mode that `do CMD` runs commands in.
    public let doTarget: String?
    /// For the output-modifier pseudo-mode: the keyword of the commands that accept `| ...`.
    public let filterAfter: String?
    public let location: SourceLocation
}

/// A command line of a grammar file: its syntax, the action that handles it, the mode it enters.
struct CommandDefinition: Sendable {
    let modes: [String]
    let syntax: [SyntaxElement]
    let source: String
    let action: String
    let enters: String?
    let location: SourceLocation
}

/// A `help` line: the help text of the last word of `key` where the path ends with `key`.
struct HelpDefinition: Sendable {
    let key: [String]
    let text: String
    let location: SourceLocation
}
