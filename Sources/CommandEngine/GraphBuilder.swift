/// Builds the command graphs from parsed grammar definitions, checking everything a
/// grammar author can get wrong and reporting it at the line that holds the mistake.
struct GraphBuilder {
    private var graph = CommandGraph()
    private var helpByKey: [String: HelpDefinition] = [:]
    private var usedHelp: Set<String> = []

    private enum Atom {
        case keyword(String, bind: String?)
        case parameter(ParameterType, name: String)
    }

    static func build(_ parsed: GrammarParser) throws(GrammarError) -> CommandGraph {
        var b = GraphBuilder()
        try b.run(parsed)
        return b.graph
    }

    private mutating func run(_ parsed: GrammarParser) throws(GrammarError) {
        for h in parsed.helps {
            let key = h.key.joined(separator: " ")
            if let previous = helpByKey[key] {
                throw GrammarError(h.location, "help for '\(key)' already given at \(previous.location)")
            }
            helpByKey[key] = h
        }
        try makeModes(parsed.modes)
        // A mode gets its own commands and those of every mode it includes, transitively.
        for mode in graph.modes {
            let sources = includedClosure(of: mode.name, in: parsed.modes)
            for def in parsed.commands where def.modes.contains(where: sources.contains) {
                try insert(def, into: mode)
            }
        }
        for def in parsed.commands {
            for m in def.modes where graph.modeIndex[m] == nil {
                throw GrammarError(def.location, "unknown mode '\(m)'")
            }
        }
        try addEscapes()
        try addPipes()
        try resolveHelp()
        for (key, h) in helpByKey where !usedHelp.contains(key) {
            throw GrammarError(h.location, "help for '\(key)' matches no word of any command")
        }
    }

    private mutating func makeModes(_ defs: [ModeDefinition]) throws(GrammarError) {
        for d in defs {
            if graph.modeIndex[d.name] != nil { throw GrammarError(d.location, "mode '\(d.name)' defined twice") }
            graph.modeIndex[d.name] = ModeID(index: graph.modeIndex.count)
        }
        for (index, d) in defs.enumerated() {
            let id = ModeID(index: index)
            func ref(_ name: String?) throws(GrammarError) -> ModeID? {
                guard let name else { return nil }
                guard let id = graph.modeIndex[name] else { throw GrammarError(d.location, "unknown mode '\(name)'") }
                return id
            }
            for inc in d.includes { _ = try ref(inc) }
            if d.filterAfter != nil {
                if graph.filterMode != nil { throw GrammarError(d.location, "only one mode may have filter-after") }
                graph.filterMode = id
            }
            graph.nodes.append(Node(kind: .root, origin: d.location))
            graph.modes.append(ModeInfo(id: id, definition: d, parent: try ref(d.parent),
                                        doTarget: try ref(d.doTarget), root: graph.nodes.count - 1))
        }
    }

    private func includedClosure(of name: String, in defs: [ModeDefinition]) -> Set<String> {
        var seen: Set<String> = [name]
        var queue = [name]
        while let n = queue.popLast() {
            for inc in defs.first(where: { $0.name == n })?.includes ?? [] where !seen.contains(inc) {
                seen.insert(inc)
                queue.append(inc)
            }
        }
        return seen
    }

    private mutating func insert(_ def: CommandDefinition, into mode: ModeInfo) throws(GrammarError) {
        var enters: ModeID?
        if let e = def.enters {
            guard let id = graph.modeIndex[e], id != graph.filterMode else {
                throw GrammarError(def.location, "'=> \(e)' names no enterable mode")
            }
            enters = id
        }
        let info = CommandInfo(action: def.action, enters: enters, syntax: def.source, location: def.location)
        let commandIndex: Int
        if let i = graph.commands.firstIndex(of: info) { commandIndex = i } else {
            graph.commands.append(info)
            commandIndex = graph.commands.count - 1
        }
        for sequence in try expand(def.syntax, def.location) {
            var node = mode.root
            for (pos, atom) in sequence.enumerated() {
                if case .parameter(.line, _) = atom, pos != sequence.count - 1 {
                    throw GrammarError(def.location, "LINE must be the last word of a command")
                }
                node = child(of: node, for: atom, origin: def.location)
            }
            if let existing = graph.nodes[node].command, existing != commandIndex {
                let other = graph.commands[existing]
                throw GrammarError(def.location,
                                   "'\(def.source)' collides with '\(other.syntax)' at \(other.location)")
            }
            graph.nodes[node].command = commandIndex
        }
    }

    /// Expands optional parts and alternatives into the plain word sequences they stand for.
    private func expand(_ elements: [SyntaxElement], _ loc: SourceLocation) throws(GrammarError) -> [[Atom]] {
        var result: [[Atom]] = [[]]
        for e in elements {
            let options: [[Atom]]
            switch e {
            case .keyword(let k): options = [[.keyword(k, bind: nil)]]
            case .parameter(let t, let n): options = [[.parameter(t, name: n)]]
            case .group(let alternatives, let optional, let name):
                var o: [[Atom]] = optional ? [[]] : []
                for alt in alternatives {
                    if let name, case .keyword(let k)? = alt.first {
                        o.append([.keyword(k, bind: name)])
                    } else {
                        o.append(contentsOf: try expand(alt, loc))
                    }
                }
                options = o
            }
            result = result.flatMap { prefix in options.map { prefix + $0 } }
            if result.count > 4096 { throw GrammarError(loc, "command expands to too many forms") }
        }
        return result
    }

    private mutating func child(of parent: Int, for atom: Atom, origin: SourceLocation) -> Int {
        for c in graph.nodes[parent].children {
            switch (graph.nodes[c].kind, atom) {
            case (.keyword(let a), .keyword(let b, let bind)) where a == b:
                if let bind, !graph.nodes[c].binds.contains(bind) { graph.nodes[c].binds.append(bind) }
                return c
            case (.parameter(let ta, let na), .parameter(let tb, let nb)) where ta == tb && na == nb:
                return c
            default: continue
            }
        }
        let node: Node
        switch atom {
        case .keyword(let k, let bind): node = Node(kind: .keyword(k), binds: bind.map { [$0] } ?? [], origin: origin)
        case .parameter(let t, let n): node = Node(kind: .parameter(t, name: n), origin: origin)
        }
        graph.nodes.append(node)
        graph.nodes[parent].children.append(graph.nodes.count - 1)
        return graph.nodes.count - 1
    }

    /// `do` in each mode that names a `do` target: its children are the target mode's commands.
    private mutating func addEscapes() throws(GrammarError) {
        for mode in graph.modes {
            guard let target = mode.doTarget else { continue }
            let targetRoot = graph.modes[target.index].root
            graph.nodes.append(Node(kind: .escape, help: try helpText(["do"], mode.definition.location),
                                    children: graph.nodes[targetRoot].children, origin: mode.definition.location))
            graph.nodes[mode.root].children.append(graph.nodes.count - 1)
        }
    }

    /// `|` after every command that starts with the filter mode's `filter-after` keyword.
    private mutating func addPipes() throws(GrammarError) {
        guard let fm = graph.filterMode, let keyword = graph.modes[fm.index].definition.filterAfter else { return }
        let filterInfo = graph.modes[fm.index]
        graph.nodes.append(Node(kind: .pipe, help: try helpText(["|"], filterInfo.definition.location),
                                children: graph.nodes[filterInfo.root].children, origin: filterInfo.definition.location))
        let pipe = graph.nodes.count - 1
        for mode in graph.modes where mode.id != fm {
            for first in graph.nodes[mode.root].children where graph.nodes[first].kind == .keyword(keyword) {
                var stack = [first]
                var seen: Set<Int> = []
                while let n = stack.popLast() {
                    guard seen.insert(n).inserted else { continue }
                    if graph.nodes[n].command != nil { graph.nodes[n].children.append(pipe) }
                    stack.append(contentsOf: graph.nodes[n].children.filter { $0 != pipe })
                }
            }
        }
    }

    private mutating func resolveHelp() throws(GrammarError) {
        for mode in graph.modes {
            // The path starts with `@MODE`, so `help @vmgroup no vlan = ...` can word a command
            // that reads the same in two modes differently; unqualified keys match as before.
            var stack: [(Int, [String])] = [(mode.root, ["@" + mode.definition.name])]
            while let (n, path) = stack.popLast() {
                for c in graph.nodes[n].children {
                    let key: String
                    switch graph.nodes[c].kind {
                    case .keyword(let k): key = k
                    case .parameter(_, let name): key = ":" + name
                    case .escape, .pipe, .root: continue // resolved where they were made
                    }
                    let p = path + [key]
                    if graph.nodes[c].help.isEmpty {
                        graph.nodes[c].help = try helpText(p, graph.nodes[c].origin)
                    }
                    stack.append((c, p))
                }
            }
        }
    }

    /// The help of the most specific `help` line whose key ends the path.
    private mutating func helpText(_ path: [String], _ loc: SourceLocation) throws(GrammarError) -> String {
        for start in path.indices {
            let key = path[start...].joined(separator: " ")
            if let h = helpByKey[key] {
                usedHelp.insert(key)
                return h.text
            }
        }
        throw GrammarError(loc, "no help for '\(path.last ?? "")' (add 'help \(path.last ?? "") = ...')")
    }
}
