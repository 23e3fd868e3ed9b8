/// What a graph node matches.
enum NodeKind: Sendable, Hashable {
    case root
    case keyword(String)
    case parameter(ParameterType, name: String)
    /// `do`: continues in another mode's graph.
    case escape
    /// `|`: continues in the output-modifier graph.
    case pipe
}

/// One token position of the command graph. Nodes live in one array and refer to each
/// other by index, so the whole graph is a plain Sendable value.
struct Node: Sendable {
    var kind: NodeKind
    /// Names of the named groups this keyword is a choice of (`(access|trunk):mode`).
    var binds: [String] = []
    var help: String = ""
    var children: [Int] = []
    /// Index into `CommandGraph.commands` when a command may end here.
    var command: Int?
    /// The grammar line that created the node: where a missing help is reported.
    var origin: SourceLocation
}

/// What runs when a line ends at a node.
public struct CommandInfo: Sendable, Hashable {
    public let action: String
    public let enters: ModeID?
    /// The command as written in the grammar (for the reference and diagnostics).
    public let syntax: String
    public let location: SourceLocation
}

/// A mode of the shell as the engine knows it.
public struct ModeID: Sendable, Hashable, Comparable {
    public let index: Int
    public static func < (a: ModeID, b: ModeID) -> Bool { a.index < b.index }
}

public struct ModeInfo: Sendable {
    public let id: ModeID
    public let definition: ModeDefinition
    public var name: String { definition.name }
    /// The parent config mode (where `exit` goes and unmatched lines fall through).
    public let parent: ModeID?
    public let doTarget: ModeID?
    let root: Int
}

/// The per-mode command graphs built from the grammar.
struct CommandGraph: Sendable {
    var nodes: [Node] = []
    var commands: [CommandInfo] = []
    var modes: [ModeInfo] = []
    var modeIndex: [String: ModeID] = [:]
    /// The output-modifier pseudo-mode (`| include ...`), when the grammar has one.
    var filterMode: ModeID?
}
