/// What a handler of one action receives, as the grammar defines it: the union of the
/// parameters of every line that reaches the action, plus the parameters of the mode those
/// lines are in (the `vmgroup` mode supplies `group` to `vlan V` typed there). Built from
/// the grammar alone, so grammar-embed can generate a typed value per action at build time.
public struct ActionSignature: Sendable, Hashable {
    public let action: String
    /// In order of first appearance in the grammar.
    public let fields: [ActionField]
    /// The syntax of each line that reaches the action, as written.
    public let lines: [String]
    /// The first line that reaches the action.
    public let location: SourceLocation
}

/// One value a handler receives.
public struct ActionField: Sendable, Hashable {
    public let name: String
    public let kind: ActionFieldKind
    /// False when some line reaching the action leaves it out (an optional group, one
    /// alternative of several, another line without it). Flags are never optional.
    public let isAlwaysPresent: Bool
    /// The modes that supply it when the line itself does not: the mode the line is in,
    /// entered by a command that named it (`interface port 1-4` → `ports`).
    public let fromModes: [String]
}

public enum ActionFieldKind: Sendable, Hashable {
    case integer
    case mac
    case oui
    case ipv4
    case ports
    case vlans
    /// `P.I`, one vNIC.
    case vnic
    /// WORD, STRING and LINE: the handler sees the text either way.
    case text
    /// A named keyword group, `(permit|deny):action`: which keyword was typed.
    case choice([String])
    /// A keyword that may be left out (`[force]`): whether it was typed.
    case flag

    init(_ type: ParameterType) {
        switch type {
        case .integer: self = .integer
        case .mac: self = .mac
        case .oui: self = .oui
        case .ipv4: self = .ipv4
        case .portList: self = .ports
        case .vlanList: self = .vlans
        case .vnic: self = .vnic
        case .word, .string, .line: self = .text
        }
    }
}

extension CommandEngine {
    /// Every action's signature, sorted by action. Throws (with file:line) where two lines of
    /// an action give one name two kinds, or a sub-mode line's parameter hides the mode's.
    public func actionSignatures() throws(GrammarError) -> [ActionSignature] {
        // What each mode's entering commands supply to the lines typed in it.
        var modeFields: [String: [Collected]] = [:]
        for d in definitions {
            guard let mode = d.enters else { continue }
            let own = try Collected.fields(of: d.syntax, at: d.location).filter { $0.kind != .flag }
            modeFields[mode] = try Collected.union(modeFields[mode].map { [$0, own] } ?? [own], at: d.location)
        }
        var forms: [String: [[Collected]]] = [:]
        var order: [String] = []
        var locations: [String: SourceLocation] = [:]
        var lines: [String: [String]] = [:]
        for d in definitions {
            if forms[d.action] == nil { order.append(d.action); locations[d.action] = d.location }
            lines[d.action, default: []].append(d.source)
            let own = try Collected.fields(of: d.syntax, at: d.location)
            for mode in d.modes {
                var form = own
                for var f in modeFields[mode] ?? [] {
                    if own.contains(where: { $0.name == f.name }) {
                        throw GrammarError(d.location, "parameter '\(f.name)' hides the '\(mode)' mode's parameter of that name")
                    }
                    f.fromModes = [mode]
                    form.append(f)
                }
                forms[d.action, default: []].append(form)
            }
        }
        var out: [ActionSignature] = []
        for action in order {
            guard let location = locations[action] else { continue }
            let fields = try Collected.union(forms[action] ?? [], at: location)
            out.append(ActionSignature(action: action, fields: fields.map {
                ActionField(name: $0.name, kind: $0.kind, isAlwaysPresent: $0.always || $0.kind == .flag, fromModes: $0.fromModes)
            }, lines: lines[action] ?? [], location: location))
        }
        return out.sorted { $0.action < $1.action }
    }
}

/// A field while the signatures are collected.
private struct Collected {
    let name: String
    var kind: ActionFieldKind
    var always: Bool
    var fromModes: [String] = []

    /// The fields of one syntax sequence; `always` is false inside optional or alternative parts.
    static func fields(of syntax: [SyntaxElement], at location: SourceLocation) throws(GrammarError) -> [Collected] {
        var out: [Collected] = []
        for element in syntax {
            switch element {
            case .keyword: break
            case .parameter(let type, let name):
                out.append(Collected(name: name, kind: ActionFieldKind(type), always: true))
            case .group(let alternatives, let optional, let name?):
                let words = alternatives.compactMap { alt -> String? in
                    if case .keyword(let k) = alt.first { return k } else { return nil }
                }
                out.append(Collected(name: name, kind: .choice(words), always: !optional))
            case .group(let alternatives, let optional, nil):
                // A lone keyword among alternatives (`[force]`, `[-v]`) is worth knowing about.
                var inGroup: [[Collected]] = []
                for alt in alternatives {
                    var f = try fields(of: alt, at: location)
                    if alt.count == 1, case .keyword(let k) = alt[0] {
                        f.append(Collected(name: k, kind: .flag, always: true))
                    }
                    inGroup.append(f)
                }
                var merged = try union(inGroup, at: location)
                if optional { for i in merged.indices { merged[i].always = false } }
                out.append(contentsOf: merged)
            }
        }
        return out
    }

    /// The fields of several forms: present always only when always present in each.
    static func union(_ forms: [[Collected]], at location: SourceLocation) throws(GrammarError) -> [Collected] {
        var out: [Collected] = []
        for form in forms {
            for f in form {
                guard let i = out.firstIndex(where: { $0.name == f.name }) else {
                    out.append(f)
                    continue
                }
                switch (out[i].kind, f.kind) {
                case (.choice(let a), .choice(let b)):
                    out[i].kind = .choice(a + b.filter { !a.contains($0) })
                case (let a, let b) where a == b: break
                default:
                    throw GrammarError(location, "'\(f.name)' is \(out[i].kind) in one line and \(f.kind) in another")
                }
                out[i].fromModes += f.fromModes.filter { !out[i].fromModes.contains($0) }
            }
        }
        for i in out.indices {
            out[i].always = forms.allSatisfy { form in form.contains { $0.name == out[i].name && $0.always } }
        }
        return out
    }
}
