/// The command engine: matches lines against the grammar's per-mode graphs, completes
/// words for TAB and describes the next tokens for `?`. Pure: no I/O, no terminal.
public struct CommandEngine: Sendable {
    let graph: CommandGraph
    let definitions: [CommandDefinition]

    /// Builds the engine from grammar files (name, text). Any mistake throws with file:line.
    public init(files: [(name: String, text: String)]) throws(GrammarError) {
        var parser = GrammarParser()
        for f in files { try parser.parse(file: f.name, text: f.text) }
        try parser.expandModeFamilies()
        graph = try GraphBuilder.build(parser)
        definitions = parser.commands
    }

    // MARK: Modes

    public var modes: [ModeInfo] { graph.modes }

    public func mode(named name: String) -> ModeID? { graph.modeIndex[name] }

    public func info(_ mode: ModeID) -> ModeInfo { graph.modes[mode.index] }

    /// Every action named by the grammar.
    public var actions: Set<String> { Set(graph.commands.map(\.action)) }

    public var commands: [CommandInfo] { graph.commands }

    // MARK: Matching

    /// Parses one line in `mode`. A line the mode does not understand is tried in its
    /// parent config modes (IOS fall-through); the most informative error is reported.
    public func parse(_ line: String, in mode: ModeID) -> ParseResult {
        let trimmed = line.trimmingSpaces()
        if trimmed.isEmpty { return .empty }
        if trimmed.hasPrefix("!") || trimmed.hasPrefix("#") { return .comment }
        if let (column, scalar) = ControlCharacters.firstRefused(in: line) {
            return .failure(.controlCharacter(name: ControlCharacters.name(scalar), column: column))
        }
        let tokens = Tokenizer.tokenize(line).tokens
        var firstError: ParseError?
        var m: ModeID? = mode
        while let current = m {
            switch finish(graph.walk(tokens, line: line, mode: current)) {
            case .success(let cmd): return .command(cmd)
            case .failure(let e):
                if e.progress > firstError?.progress ?? Int.min { firstError = e }
            }
            m = graph.modes[current.index].parent
        }
        return .failure(firstError ?? .incomplete)
    }

    private func finish(_ walked: Result<CommandGraph.Walk, ParseError>) -> Result<MatchedCommand, ParseError> {
        let w: CommandGraph.Walk
        switch walked {
        case .failure(let e): return .failure(e)
        case .success(let v): w = v
        }
        guard let end = graph.nodes[w.node].command else { return .failure(.incomplete) }
        var filter: MatchedFilter?
        var commandIndex = end
        if let before = w.commandBeforePipe {
            commandIndex = before
            filter = MatchedFilter(action: graph.commands[end].action, arguments: w.filterArguments)
        }
        let info = graph.commands[commandIndex]
        return .success(MatchedCommand(action: info.action, arguments: w.arguments, keywords: w.keywords,
                                       mode: w.mode, viaDo: w.viaDo, enters: info.enters, filter: filter))
    }

    // MARK: Help and completion

    /// Walks all but the last (partial) word in `mode`.
    private func walkPrefix(_ line: String, in mode: ModeID) -> (Result<CommandGraph.Walk, ParseError>, partial: Token?) {
        let (tokens, endsWithSpace) = Tokenizer.tokenize(line)
        let partial = endsWithSpace ? nil : tokens.last
        let prefix = endsWithSpace ? tokens : Array(tokens.dropLast())
        return (graph.walk(prefix, line: line, mode: mode), partial)
    }

    /// The mode and its parent config modes, nearest first: where `?` and TAB look, as
    /// lines fall through to parents when they run.
    private func modeChain(_ mode: ModeID) -> [ModeID] {
        var chain: [ModeID] = []
        var m: ModeID? = mode
        while let current = m {
            chain.append(current)
            m = graph.modes[current.index].parent
        }
        return chain
    }

    /// What `?` at the end of `line` shows.
    public func describe(_ line: String, in mode: ModeID) -> HelpResult {
        var first: HelpResult?
        for m in modeChain(mode) {
            let r = describeInMode(line, in: m)
            switch r {
            case .failure: if first == nil { first = r }
            default: return r
            }
        }
        return first ?? .failure(.incomplete)
    }

    private func describeInMode(_ line: String, in mode: ModeID) -> HelpResult {
        let (walked, partial) = walkPrefix(line, in: mode)
        let w: CommandGraph.Walk
        switch walked {
        case .failure(let e): return .failure(e)
        case .success(let v): w = v
        }
        // A LINE parameter has taken the rest: whatever follows is part of it.
        if w.consumedAll { return .next([HelpEntry(token: "<cr>", help: "")]) }
        let children = graph.nodes[w.node].children
        if let partial {
            var words: [String] = []
            for c in children {
                let (level, _) = graph.rate(c, partial)
                guard level != .none else { continue }
                switch graph.nodes[c].kind {
                case .keyword(let k): if level >= .keywordPrefix { words.append(k) }
                case .escape: if level >= .keywordPrefix { words.append("do") }
                case .parameter(let t, _): words.append(t.syntax)
                case .pipe: words.append("|")
                case .root: break
                }
            }
            if words.isEmpty { return .failure(.invalid(column: partial.column)) }
            return .words(sortedTokens(words))
        }
        var keywords: [HelpEntry] = [], parameters: [HelpEntry] = [], tail: [HelpEntry] = []
        for c in children {
            let n = graph.nodes[c]
            switch n.kind {
            case .keyword(let k): keywords.append(HelpEntry(token: k, help: n.help))
            case .escape: keywords.append(HelpEntry(token: "do", help: n.help))
            case .parameter(let t, _): parameters.append(HelpEntry(token: t.syntax, help: n.help))
            case .pipe: tail.append(HelpEntry(token: "|", help: n.help))
            case .root: break
            }
        }
        keywords.sort { $0.token < $1.token }
        var entries = keywords + parameters + tail
        if graph.nodes[w.node].command != nil { entries.append(HelpEntry(token: "<cr>", help: "")) }
        return .next(entries)
    }

    /// What TAB after `line` could insert. `values` supplies known values for parameters.
    public func complete(_ line: String, in mode: ModeID,
                         values: (ParameterSlot) -> [String] = { _ in [] }) -> Completion {
        var result = Completion(partial: "", candidates: [])
        for m in modeChain(mode) {
            result = completeInMode(line, in: m, values: values)
            if !result.candidates.isEmpty { break }
        }
        return result
    }

    private func completeInMode(_ line: String, in mode: ModeID,
                                values: (ParameterSlot) -> [String]) -> Completion {
        let (walked, partial) = walkPrefix(line, in: mode)
        let prefix = partial?.text ?? ""
        guard case .success(let w) = walked, partial?.quoted != true else {
            return Completion(partial: prefix, candidates: [])
        }
        let lower = prefix.lowercased()
        var keywords: [String] = [], found: [String] = []
        for c in graph.nodes[w.node].children {
            switch graph.nodes[c].kind {
            case .keyword(let k): if k.hasPrefix(lower) { keywords.append(k) }
            case .escape: if "do".hasPrefix(lower) { keywords.append("do") }
            case .parameter(let t, let name):
                let slot = ParameterSlot(name: name, type: t, mode: graph.modes[w.mode.index].name)
                found.append(contentsOf: values(slot).filter { $0.lowercased().hasPrefix(lower) })
            case .pipe, .root: break
            }
        }
        var seen = Set<String>()
        let candidates = (keywords.sorted() + found).filter { seen.insert($0).inserted }
        return Completion(partial: prefix, candidates: candidates)
    }

    private func sortedTokens(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }.sorted()
    }
}
