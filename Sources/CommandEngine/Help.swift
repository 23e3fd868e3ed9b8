/// One line of `?` output: a token (keyword, `<cr>`, or a parameter's syntax) and its help.
public struct HelpEntry: Sendable, Hashable {
    public let token: String
    public let help: String
}

/// What `?` shows.
public enum HelpResult: Sendable, Hashable {
    /// After a space: the possible next tokens with their help, `<cr>` last.
    case next([HelpEntry])
    /// After a partial word: what that word could complete to.
    case words([String])
    case failure(ParseError)
}

/// What TAB does.
public struct Completion: Sendable, Hashable {
    /// The partial word being completed (empty after a space).
    public let partial: String
    /// Every full word the partial word could become, keywords first (alphabetical), then values.
    public let candidates: [String]

    /// The longest prefix all candidates share, compared case-insensitively.
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.lowercased().hasPrefix(prefix.lowercased()) { prefix.removeLast() }
        }
        return prefix
    }
}

/// A parameter being completed: the switch supplies known values (VLANs, ports, VM MACs).
public struct ParameterSlot: Sendable, Hashable {
    public let name: String
    public let type: ParameterType
    public let mode: String
}
