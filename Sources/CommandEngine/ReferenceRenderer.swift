/// Renders the command reference (Markdown) from the grammar, so the manual can never
/// disagree with the commands the switch accepts.
extension CommandEngine {
    /// `jsonFields` (from `Schemas/`, by action) adds what each show command's `| json` holds.
    public func referenceMarkdown(jsonFields: [String: [JSONField]] = [:]) -> String {
        var out = ["# VMready command reference", "",
                   "Generated from `Grammar/` by `make manuals`; do not edit by hand.", "",
                   "Syntax: `<lo-hi>` integer range, `XX:XX:XX:XX:XX:XX` MAC address (also",
                   "`xxxx.xxxx.xxxx`, `xx-xx-xx-xx-xx-xx`), `XX:XX:XX` OUI, `A.B.C.D` IPv4 address,",
                   "`PORTS` port list (`1-4,7`, vNICs `1.1-1.4`), `VLANS` VLAN list (`1,100-200`), `P.I` a vNIC (port P, index I), `WORD` a word, `STRING` a word or a \"quoted string\",",
                   "`LINE` the rest of the line; `[ ]` optional, `( | )` one of. Keywords may be",
                   "abbreviated to any unique prefix.", ""]
        for mode in graph.modes {
            let defs = definitions.filter { $0.modes.contains(mode.name) }
            guard !defs.isEmpty else { continue }
            let d = mode.definition
            if d.filterAfter != nil {
                out.append("## Output modifiers (`\(d.filterAfter ?? "") ... | MODIFIER`)")
            } else {
                out.append("## Mode `\(mode.name)`, prompt `vmready\(d.prompt)`")
            }
            out.append("")
            var notes: [String] = []
            if let entry = enteringCommand(mode.id) { notes.append("Entered with `\(entry)`.") }
            if let p = d.parent { notes.append("`exit` returns to `\(p)`; lines it does not know run there.") }
            if !d.includes.isEmpty { notes.append("Also has every command of " + d.includes.map { "`\($0)`" }.joined(separator: ", ") + ".") }
            if let t = d.doTarget { notes.append("`do CMD` runs a `\(t)` command.") }
            if !notes.isEmpty { out.append(notes.joined(separator: " ")); out.append("") }
            out.append("| Command | Description | Parameters |")
            out.append("|---|---|---|")
            for def in defs {
                let (description, parameters) = helpOf(def, in: mode)
                var desc = description
                if let e = def.enters { desc += " (enters `\(e)`)" }
                out.append("| `\(Self.display(def.syntax))` | \(Self.escape(desc)) | \(Self.escape(parameters.joined(separator: "; "))) |")
            }
            out.append("")
        }
        out += jsonReference(jsonFields)
        return out.joined(separator: "\n")
    }

    /// A table of fields for each show command, in the order of the grammar.
    private func jsonReference(_ fields: [String: [JSONField]]) -> [String] {
        let shows = definitions.filter { fields[$0.action] != nil }
        guard !shows.isEmpty else { return [] }
        var out = ["## JSON output (`show ... | json`, `| json-pretty`)", "",
                   "One JSON object per command: keys in lowerCamelCase (sorted), numbers as numbers, MACs as",
                   "`xx:xx:xx:xx:xx:xx`, times in RFC 3339 (UTC), ports as strings (`3`, vNIC `3.2`). A field",
                   "marked optional is left out when the text shows nothing for it. `vms[].mac` is the `mac`",
                   "of each element of `vms`. The JSON Schema of each command is `Schemas/ACTION.schema.json`.", ""]
        for def in shows {
            out.append("### `\(Self.display(def.syntax))` (`Schemas/\(def.action).schema.json`)")
            out.append("")
            out.append("| Field | Type | Description |")
            out.append("|---|---|---|")
            for f in fields[def.action] ?? [] {
                out.append("| `\(f.path)` | \(f.type)\(f.optional ? ", optional" : "") | \(Self.escape(f.description)) |")
            }
            out.append("")
        }
        return out
    }

    private func enteringCommand(_ mode: ModeID) -> String? {
        definitions.first { def in def.enters == graph.modes[mode.index].name }.map { Self.display($0.syntax) }
    }

    /// The help of the command's last keyword, and `SYNTAX: help` for each parameter, read
    /// from the graph along the command's fullest form.
    private func helpOf(_ def: CommandDefinition, in mode: ModeInfo) -> (String, [String]) {
        let words = Self.expand(def.syntax).max { $0.count < $1.count } ?? []
        var node = mode.root
        var description = ""
        var parameters: [String] = []
        for word in words {
            let token = Token(text: word.hasPrefix("\"") ? String(word.dropFirst().dropLast()) : word,
                              column: 0, quoted: word.hasPrefix("\""), terminated: true, raw: word)
            guard let next = graph.nodes[node].children.first(where: { graph.rate($0, token).0 >= .freeWord }) else { break }
            switch graph.nodes[next].kind {
            case .keyword: description = graph.nodes[next].help
            case .parameter(let t, _): parameters.append("`\(t.syntax)` \(graph.nodes[next].help)")
            default: break
            }
            node = next
        }
        return (description, parameters)
    }

    static func display(_ elements: [SyntaxElement]) -> String {
        elements.map { e -> String in
            switch e {
            case .keyword(let k): return k
            case .parameter(let t, _): return t.syntax
            case .group(let alternatives, let optional, _):
                let inner = alternatives.map { display($0) }.joined(separator: " | ")
                return optional ? "[\(inner)]" : "(\(inner))"
            }
        }.joined(separator: " ")
    }

    static func escape(_ s: String) -> String { s.replacing("|", with: "\\|") }
}
