import CommandEngine
import Testing

/// What grammar-embed generates each action's typed arguments from: the union of the lines
/// that reach the action, optional where some line leaves a value out, and what a mode supplies.
@Suite struct ActionSignatureTests {
    static let header = """
        mode user-exec prompt ">"
        mode privileged-exec prompt "#" includes user-exec
        mode config prompt "(config)#"
        mode group prompt "(config-group)#" parent config
        in privileged-exec
        configure terminal -> session.configure => config

        """ // 6 lines: the body starts at line 7

    static func signatures(_ body: String) throws -> [String: ActionSignature] {
        let engine = try CommandEngine(files: [(name: "t.grammar", text: header + body + "\n" + helps(header + body))])
        return Dictionary(uniqueKeysWithValues: try engine.actionSignatures().map { ($0.action, $0) })
    }

    /// A help line for every word and parameter, which the engine insists on (after the body,
    /// so its line numbers stay put).
    static func helps(_ text: String) -> String {
        var keys: [String] = []
        for line in text.split(separator: "\n") {
            guard let arrow = line.firstRange(of: "->") else { continue }
            // A group's name (`(a|b):name`) is no word of its own.
            for word in line[..<arrow.lowerBound].split(whereSeparator: { " ()[]|".contains($0) }) where !word.hasPrefix(":") {
                let key = word.contains(":") ? ":" + (word.split(separator: ":").last ?? "") : String(word)
                if !keys.contains(key) { keys.append(key) }
            }
        }
        return keys.map { "help \($0) = Help" }.joined(separator: "\n") + "\n"
    }

    static func field(_ sig: ActionSignature?, _ name: String) -> ActionField? {
        sig?.fields.first { $0.name == name }
    }

    @Test func typesAndOptionalParts() throws {
        let s = try Self.signatures("""
            in config
            rule <1-9>:n (permit|deny):action MAC:mac [A.B.C.D:ip] [force] -> rule.set
            rule <1-9>:n (MAC:src|WORD:name) -> rule.source
            """)
        let set = s["rule.set"]
        #expect(set?.fields.map(\.name) == ["n", "action", "mac", "ip", "force"])
        #expect(Self.field(set, "n")?.kind == .integer)
        #expect(Self.field(set, "n")?.isAlwaysPresent == true)
        #expect(Self.field(set, "n")?.fromModes == [])
        #expect(Self.field(set, "action")?.kind == .choice(["permit", "deny"]))
        #expect(Self.field(set, "mac")?.kind == .mac)
        #expect(Self.field(set, "ip")?.isAlwaysPresent == false)
        #expect(Self.field(set, "force")?.kind == .flag)
        let source = s["rule.source"]
        #expect(Self.field(source, "src")?.isAlwaysPresent == false)
        #expect(Self.field(source, "name")?.kind == .text)
        #expect(Self.field(source, "name")?.isAlwaysPresent == false)
    }

    @Test func linesOfOneActionUnite() throws {
        let s = try Self.signatures("""
            in config
            save [comment LINE:comment] -> save
            write [memory] [comment LINE:comment] -> save
            no rule <1-9>:n (a|b):field -> rule.clear
            no rule <1-9>:n (c):field -> rule.clear
            """)
        #expect(s["save"]?.fields.map(\.name) == ["comment", "memory"])
        #expect(s["save"]?.lines == ["save [comment LINE:comment]", "write [memory] [comment LINE:comment]"])
        #expect(Self.field(s["rule.clear"], "field")?.kind == .choice(["a", "b", "c"]))
        #expect(Self.field(s["rule.clear"], "field")?.isAlwaysPresent == true)
    }

    @Test func modesSupplyTheirParameters() throws {
        let s = try Self.signatures("""
            in config
            group <1-9>:group -> group.enter => group
            group <1-9>:group vlan <1-4094>:vlan -> group.vlan
            in group
            vlan <1-4094>:vlan -> group.vlan
            in user-exec
            show group [<1-9>:group] -> show.group
            """)
        let vlan = Self.field(s["group.vlan"], "group")
        #expect(vlan?.kind == .integer)
        #expect(vlan?.isAlwaysPresent == true)
        #expect(vlan?.fromModes == ["group"])
        // A line outside the mode gets nothing from it, even through `do`.
        #expect(Self.field(s["show.group"], "group")?.fromModes == [])
        #expect(Self.field(s["show.group"], "group")?.isAlwaysPresent == false)
    }

    @Test func conflictsAreGrammarErrors() throws {
        #expect(throws: GrammarError.self) {
            try Self.signatures("""
                in config
                a <1-9>:x -> act
                b WORD:x -> act
                """)
        }
        do {
            _ = try Self.signatures("""
                in config
                group <1-9>:group -> group.enter => group
                in group
                member <1-9>:group -> group.member
                """)
            Issue.record("a sub-mode parameter hiding the mode's was accepted")
        } catch let error as GrammarError {
            #expect(error.location.line == 10)
            #expect(error.message.contains("hides the 'group' mode's parameter"))
        }
    }
}
