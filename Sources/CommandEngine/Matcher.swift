/// How well a graph node accepts a token. Higher wins; a tie at the top is ambiguous.
/// This is the one precedence rule: exact keyword, then typed parameter, then keyword
/// prefix, then free word.
enum MatchLevel: Int, Comparable {
    case none = 0
    /// Could still become valid with more characters (only for `?` and TAB).
    case partial = 1
    case freeWord = 2
    case keywordPrefix = 3
    case typed = 4
    case exact = 5

    static func < (a: MatchLevel, b: MatchLevel) -> Bool { a.rawValue < b.rawValue }
}

extension CommandGraph {
    /// Rates how node `n` accepts `token`, and the value it would carry.
    func rate(_ n: Int, _ token: Token) -> (MatchLevel, ArgumentValue?) {
        switch nodes[n].kind {
        case .root: return (.none, nil)
        case .keyword(let k):
            return (Self.keywordLevel(k, token), nil)
        case .escape:
            return (Self.keywordLevel("do", token), nil)
        case .pipe:
            return (!token.quoted && token.text == "|" ? .exact : .none, nil)
        case .parameter(let type, _):
            return Self.rate(type, token)
        }
    }

    static func keywordLevel(_ keyword: String, _ token: Token) -> MatchLevel {
        guard !token.quoted, !token.text.isEmpty else { return .none }
        let t = token.lowercased
        if t == keyword { return .exact }
        return keyword.hasPrefix(t) ? .keywordPrefix : .none
    }

    static func rate(_ type: ParameterType, _ token: Token) -> (MatchLevel, ArgumentValue?) {
        let s = token.text
        if !token.terminated { return (.none, nil) }
        switch type {
        case .word:
            return token.quoted || s.isEmpty ? (.none, nil) : (.freeWord, .word(s))
        case .string:
            return (.freeWord, .string(s))
        case .line:
            return (.freeWord, nil) // the matcher takes the rest of the line
        default:
            break
        }
        if token.quoted { return (.none, nil) }
        switch type {
        case .integer(let range):
            if let v = DecimalText.integer(s), range.contains(v) { return (.typed, .integer(v)) }
            let digits = s.hasPrefix("-") ? s.dropFirst() : s[...]
            let width = max(String(range.lowerBound).count, String(range.upperBound).count)
            if !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), s.count < width { return (.partial, nil) }
            return (.none, nil)
        case .mac:
            if let v = MACFormat.parse(s) { return (.typed, .mac(v)) }
            return (MACFormat.isPrefix(s, ofAny: MACFormat.macPatterns) ? .partial : .none, nil)
        case .oui:
            if let v = MACFormat.parseOUI(s) { return (.typed, .oui(v)) }
            return (MACFormat.isPrefix(s, ofAny: MACFormat.ouiPatterns) ? .partial : .none, nil)
        case .ipv4:
            if let v = IPv4Format.parse(s) { return (.typed, .ipv4(v)) }
            return (IPv4Format.isPrefix(s) ? .partial : .none, nil)
        case .portList:
            if let p = BridgePortListFormat.parse(s) { return (.typed, .ports(p)) }
            return (BridgePortListFormat.isPrefix(s) ? .partial : .none, nil)
        case .vlanList:
            if let v = PortListFormat.parse(s, max: 4094) { return (.typed, .vlans(v)) }
            return (PortListFormat.isPrefix(s) ? .partial : .none, nil)
        case .vnic:
            if let v = VNICFormat.parse(s) { return (.typed, .vnic(port: v.port, index: v.index)) }
            return (VNICFormat.isPrefix(s) ? .partial : .none, nil)
        case .word, .string, .line:
            return (.none, nil)
        }
    }

    /// Of several keywords an abbreviation fits, the one whose rivals are all its hyphenated
    /// aliases: `term` fits `terminal` and `terminal-length`, and `terminal-length` is
    /// `terminal` followed by its own next keyword `length`, so `term len 0` means
    /// `terminal length 0` (as IOS operators type it). Unrelated keywords that merely share a
    /// prefix (`mac` and `mac-address-table`) stay ambiguous.
    func spelledOut(_ candidates: [Int]) -> Int? {
        for c in candidates {
            guard case .keyword(let k) = nodes[c].kind else { continue }
            let followers = Set(nodes[c].children.compactMap { child -> String? in
                if case .keyword(let f) = nodes[child].kind { return f }
                return nil
            })
            let aliases = candidates.filter { $0 != c }.allSatisfy { other in
                guard case .keyword(let o) = nodes[other].kind, o.hasPrefix(k + "-") else { return false }
                let next = o.dropFirst(k.count + 1).split(separator: "-").first.map(String.init) ?? ""
                return followers.contains(next) || followers.contains(String(o.dropFirst(k.count + 1)))
            }
            if aliases { return c }
        }
        return nil
    }

    /// The outcome of walking the graph over some tokens.
    struct Walk {
        var node: Int
        var mode: ModeID
        var viaDo = false
        var arguments = Arguments()
        var keywords: [String] = []
        /// Set once `|` is passed: the command before it.
        var commandBeforePipe: Int?
        var filterArguments = Arguments()
        /// True when a LINE parameter swallowed the rest.
        var consumedAll = false
    }

    /// Walks `tokens` from `mode`'s root. On success returns where the walk ended.
    func walk(_ tokens: [Token], line: String, mode: ModeID) -> Result<Walk, ParseError> {
        var w = Walk(node: modes[mode.index].root, mode: mode)
        for token in tokens {
            var best = MatchLevel.none
            var winners: [(Int, ArgumentValue?)] = []
            for c in nodes[w.node].children {
                let (level, value) = rate(c, token)
                guard level > .partial else { continue }
                if level > best { best = level; winners = [(c, value)] } else if level == best { winners.append((c, value)) }
            }
            if best == .keywordPrefix && winners.count > 1, let spelled = spelledOut(winners.map(\.0)) {
                winners = [(spelled, nil)]
            }
            guard let (chosen, value) = winners.first else { return .failure(.invalid(column: token.column)) }
            if winners.count > 1 {
                let end = line.index(line.startIndex, offsetBy: token.column + token.raw.count)
                return .failure(.ambiguous(text: String(line[..<end]).trimmingSpaces().description, column: token.column))
            }
            let inFilter = w.commandBeforePipe != nil
            switch nodes[chosen].kind {
            case .keyword(let k):
                if !inFilter { w.keywords.append(k) }
                for b in nodes[chosen].binds {
                    if inFilter { w.filterArguments[b] = .keyword(k) } else { w.arguments[b] = .keyword(k) }
                }
            case .escape:
                w.viaDo = true
                if let target = modes[w.mode.index].doTarget { w.mode = target }
            case .pipe:
                w.commandBeforePipe = nodes[w.node].command
            case .parameter(let type, let name):
                var v = value
                if type == .line {
                    let start = line.index(line.startIndex, offsetBy: token.column)
                    v = .line(String(line[start...].trimmingSpaces()))
                    w.consumedAll = true
                }
                if let v {
                    if inFilter { w.filterArguments[name] = v } else { w.arguments[name] = v }
                }
            case .root:
                break
            }
            w.node = chosen
            if w.consumedAll { break }
        }
        return .success(w)
    }
}
