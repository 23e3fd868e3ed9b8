/// Reads grammar files. The format reads like the commands themselves:
///
///     mode config prompt "(config)#" do privileged-exec
///     in config
///     vlan <1-4094>:vlan              -> vlan.enter   => vlan
///     no vlan <1-4094>:vlan           -> vlan.delete
///     switchport mode (access|trunk):mode -> port.mode
///     help vlan  = Configure a VLAN
///     help :vlan = VLAN number
///
/// `[ ]` is optional, `( | )` alternatives; parameters are `TYPE:name` with TYPE one of
/// `<lo-hi>`, `MAC`, `OUI`, `A.B.C.D`, `PORTS`, `VLANS`, `P.I`, `WORD`, `STRING`, `LINE`.
/// A help key is matched against the end of a word's path, longest first; the path
/// starts with `@MODE`, so `help @vmgroup no vlan = ...` words one mode's command alone.
///
/// `in M+` is M and every mode whose `parent` chain reaches M, in the order the modes are
/// defined: `in config+` gives a sub-mode added later (`mode vnic ... parent config`) the
/// commands every configuration mode has (`exit`, `end`, `help`) without naming it.
struct GrammarParser {
    var modes: [ModeDefinition] = []
    var commands: [CommandDefinition] = []
    var helps: [HelpDefinition] = []

    mutating func parse(file: String, text: String) throws(GrammarError) {
        var currentModes: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let location = SourceLocation(file: file, line: index + 1)
            let line = String(rawLine.trimmingSpaces())
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            switch words[0] {
            case "mode" where !line.contains("->"):
                modes.append(try parseMode(words, line: line, location))
            case "in" where !line.contains("->"):
                guard words.count > 1 else { throw GrammarError(location, "'in' needs at least one mode name") }
                currentModes = Array(words.dropFirst())
            case "help" where Self.isHelpDefinition(line):
                helps.append(try parseHelp(line, location))
            default:
                guard !currentModes.isEmpty else {
                    throw GrammarError(location, "command before any 'in MODE' line")
                }
                commands.append(try parseCommand(line, modes: currentModes, location))
            }
        }
    }

    /// Replaces every `M+` of the `in` lines with M and the modes below it. Runs once all
    /// files are read, as a mode may be defined after (or in another file than) the lines
    /// that name it.
    mutating func expandModeFamilies() throws(GrammarError) {
        let known = Set(modes.map(\.name))
        let parentOf = Dictionary(modes.map { ($0.name, $0.parent) }, uniquingKeysWith: { first, _ in first })
        /// Whether `mode` is `ancestor` or below it; a parent cycle ends the walk.
        func descends(_ mode: String, from ancestor: String) -> Bool {
            var seen: Set<String> = []
            var current: String? = mode
            while let m = current, seen.insert(m).inserted {
                if m == ancestor { return true }
                current = parentOf[m] ?? nil
            }
            return false
        }
        commands = try commands.map { (def: CommandDefinition) throws(GrammarError) -> CommandDefinition in
            guard def.modes.contains(where: { $0.hasSuffix("+") }) else { return def }
            var expanded: [String] = []
            for name in def.modes {
                guard name.hasSuffix("+") else {
                    if !expanded.contains(name) { expanded.append(name) }
                    continue
                }
                let root = String(name.dropLast())
                guard known.contains(root) else { throw GrammarError(def.location, "unknown mode '\(root)'") }
                for m in modes where descends(m.name, from: root) && !expanded.contains(m.name) {
                    expanded.append(m.name)
                }
            }
            return CommandDefinition(modes: expanded, syntax: def.syntax, source: def.source, action: def.action,
                                     enters: def.enters, location: def.location)
        }
    }

    /// `help KEY = TEXT` defines help; `help -> ACTION` is the `help` command itself.
    static func isHelpDefinition(_ line: String) -> Bool {
        guard let eq = line.firstIndex(of: "=") else { return false }
        guard let arrow = line.firstRange(of: "->") else { return true }
        return eq < arrow.lowerBound
    }

    private func parseMode(_ words: [String], line: String, _ loc: SourceLocation) throws(GrammarError) -> ModeDefinition {
        guard words.count >= 2 else { throw GrammarError(loc, "'mode' needs a name") }
        var prompt: String?
        var parent: String?
        var includes: [String] = []
        var doTarget: String?
        var filterAfter: String?
        var i = 2
        func value() throws(GrammarError) -> String {
            guard i + 1 < words.count else { throw GrammarError(loc, "'\(words[i])' needs a value") }
            i += 2
            return words[i - 1]
        }
        while i < words.count {
            switch words[i] {
            case "prompt":
                let v = try value()
                guard v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") else {
                    throw GrammarError(loc, "prompt must be a quoted string without spaces")
                }
                prompt = String(v.dropFirst().dropLast())
            case "parent": parent = try value()
            case "includes": includes.append(try value())
            case "do": doTarget = try value()
            case "filter-after": filterAfter = try value()
            default: throw GrammarError(loc, "unknown mode attribute '\(words[i])'")
            }
        }
        if prompt == nil && filterAfter == nil {
            throw GrammarError(loc, "mode '\(words[1])' needs a prompt")
        }
        return ModeDefinition(name: words[1], prompt: prompt ?? "", parent: parent, includes: includes,
                              doTarget: doTarget, filterAfter: filterAfter, location: loc)
    }

    private func parseHelp(_ line: String, _ loc: SourceLocation) throws(GrammarError) -> HelpDefinition {
        guard let eq = line.firstIndex(of: "=") else { throw GrammarError(loc, "help line needs '= TEXT'") }
        let key = line[..<eq].split(separator: " ").dropFirst().map(String.init)
        let text = line[line.index(after: eq)...].trimmingSpaces()
        guard !key.isEmpty else { throw GrammarError(loc, "help line needs a keyword or :parameter before '='") }
        guard !text.isEmpty else { throw GrammarError(loc, "help text is empty") }
        return HelpDefinition(key: key, text: String(text), location: loc)
    }

    private func parseCommand(_ line: String, modes: [String], _ loc: SourceLocation) throws(GrammarError) -> CommandDefinition {
        guard let arrow = line.firstRange(of: "->") else {
            throw GrammarError(loc, "command needs '-> ACTION'")
        }
        let syntaxText = line[..<arrow.lowerBound].trimmingSpaces()
        var rest = line[arrow.upperBound...].trimmingSpaces()
        var enters: String?
        if let fat = rest.firstRange(of: "=>") {
            enters = String(rest[fat.upperBound...].trimmingSpaces())
            rest = rest[..<fat.lowerBound].trimmingSpaces()
            if enters?.isEmpty ?? true { throw GrammarError(loc, "'=>' needs a mode name") }
        }
        let action = String(rest)
        guard !action.isEmpty, !action.contains(" ") else {
            throw GrammarError(loc, "action must be one word, got '\(action)'")
        }
        var lexer = SyntaxLexer(String(syntaxText), location: loc)
        let syntax = try lexer.parseSequence(until: [])
        guard !syntax.isEmpty else { throw GrammarError(loc, "command has no words") }
        return CommandDefinition(modes: modes, syntax: syntax, source: String(syntaxText), action: action,
                                 enters: enters, location: loc)
    }
}

/// Turns the syntax part of a command line into `SyntaxElement`s.
struct SyntaxLexer {
    private let chars: [Character]
    private var i = 0
    private let location: SourceLocation

    init(_ text: String, location: SourceLocation) {
        chars = Array(text)
        self.location = location
    }

    private static let specials: Set<Character> = ["(", ")", "[", "]", "|"]

    private mutating func skipSpaces() {
        while i < chars.count && chars[i].isWhitespace { i += 1 }
    }

    /// Parses elements until one of `closers` (not consumed) or the end.
    mutating func parseSequence(until closers: Set<Character>) throws(GrammarError) -> [SyntaxElement] {
        var out: [SyntaxElement] = []
        while true {
            skipSpaces()
            guard i < chars.count else {
                if !closers.isEmpty { throw GrammarError(location, "missing '\(closers.contains(")") ? ")" : "]")'") }
                return out
            }
            let c = chars[i]
            if closers.contains(c) || c == "|" {
                if closers.isEmpty { throw GrammarError(location, "unexpected '\(c)'") }
                return out
            }
            if c == ")" || c == "]" { throw GrammarError(location, "unexpected '\(c)'") }
            if c == "(" || c == "[" {
                i += 1
                out.append(try parseGroup(optional: c == "["))
            } else {
                out.append(try parseWord())
            }
        }
    }

    private mutating func parseGroup(optional: Bool) throws(GrammarError) -> SyntaxElement {
        let closer: Character = optional ? "]" : ")"
        var alternatives: [[SyntaxElement]] = []
        while true {
            let seq = try parseSequence(until: [closer])
            guard !seq.isEmpty else { throw GrammarError(location, "empty alternative in group") }
            alternatives.append(seq)
            if chars[i] == "|" { i += 1; continue }
            i += 1 // the closer
            break
        }
        var name: String?
        if i < chars.count && chars[i] == ":" {
            i += 1
            let start = i
            while i < chars.count && !chars[i].isWhitespace && !Self.specials.contains(chars[i]) { i += 1 }
            name = String(chars[start..<i])
            guard let n = name, Self.isName(n) else { throw GrammarError(location, "bad group name after ':'") }
            for alt in alternatives {
                guard alt.count == 1, case .keyword = alt[0] else {
                    throw GrammarError(location, "a named group may only hold single keywords")
                }
            }
        }
        return .group(alternatives, optional: optional, name: name)
    }

    private mutating func parseWord() throws(GrammarError) -> SyntaxElement {
        let start = i
        while i < chars.count && !chars[i].isWhitespace && !Self.specials.contains(chars[i]) { i += 1 }
        let word = String(chars[start..<i])
        if let colon = word.lastIndex(of: ":") {
            let spelling = String(word[..<colon]), name = String(word[word.index(after: colon)...])
            guard let type = ParameterType(grammarSpelling: spelling) else {
                throw GrammarError(location, "unknown parameter type '\(spelling)'")
            }
            guard Self.isName(name) else { throw GrammarError(location, "bad parameter name '\(name)'") }
            return .parameter(type, name: name)
        }
        if ParameterType(grammarSpelling: word) != nil {
            throw GrammarError(location, "parameter '\(word)' needs a name: '\(word):NAME'")
        }
        guard word.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }),
              !word.isEmpty else {
            throw GrammarError(location, "bad keyword '\(word)': keywords are lower-case")
        }
        return .keyword(word)
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> SubSequence {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
