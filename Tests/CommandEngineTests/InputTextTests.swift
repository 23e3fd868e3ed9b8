import CommandEngine
import Testing

/// What the engine accepts as text: control characters are refused wherever they appear,
/// and quoted strings carry `"` and `\` through backslash escapes.
@Suite struct InputTextTests {
    static func engine() throws -> CommandEngine {
        let grammar = """
            mode config prompt "(config)#"
            in config
            description STRING:text -> description
            name WORD:name -> name
            help description = Description
            help :text = Text
            help name = Name
            help :name = A name
            """
        return try CommandEngine(files: [(name: "t.grammar", text: grammar)])
    }

    @Test(arguments: ["\u{1b}[2J", "\u{07}", "\u{01}", "\u{7f}", "\u{9b}31m", "\u{202e}evil", "a\u{0}b"])
    func controlCharactersAreRefusedWithTheirColumn(_ text: String) throws {
        let engine = try Self.engine()
        let config = try #require(engine.mode(named: "config"))
        for line in ["description \"x\(text)\"", "description x\(text)", "name x\(text)"] {
            guard case .failure(let error) = engine.parse(line, in: config) else {
                Issue.record("accepted \(ControlCharacters.visible(line))")
                continue
            }
            #expect(error.caretColumn == line.firstIndex { $0.unicodeScalars.contains(where: ControlCharacters.isRefused) }
                .map { line.distance(from: line.startIndex, to: $0) })
            #expect(error.message.hasPrefix("% Control character "))
        }
    }

    @Test func controlCharactersAreNamedVisibly() {
        #expect(ControlCharacters.visible("a\u{1b}[1mb\u{07}\u{7f}\u{202e}") == "a^[[1mb^G^?U+202E")
        #expect(ControlCharacters.visible("tab\tand café") == "tab\tand café")
        let line = "description \u{1b}x"
        let error = ParseError.controlCharacter(name: "^[", column: 12)
        #expect(error.message == "% Control character ^[ is not allowed, at '^' marker.")
        #expect(ControlCharacters.firstRefused(in: line)?.column == 12)
    }

    @Test(arguments: [
        ("description \"a\\\"b\"", "a\"b"), ("description \"a\\\\b\"", "a\\b"), ("description \"C:\\path\"", "C:\\path"),
        ("description a\"b", "a\"b"), ("description \"say \\\"hi\\\" \\\\o/\"", "say \"hi\" \\o/"),
        ("description \"café\"", "café"),
    ])
    func quotedStringsUnescape(_ line: String, _ expected: String) throws {
        let engine = try Self.engine()
        let config = try #require(engine.mode(named: "config"))
        guard case .command(let c) = engine.parse(line, in: config) else {
            Issue.record("rejected \(line)")
            return
        }
        #expect(c.arguments.text("text") == expected)
    }

    @Test func anEscapedQuoteDoesNotCloseTheString() throws {
        let engine = try Self.engine()
        let config = try #require(engine.mode(named: "config"))
        guard case .failure = engine.parse("description \"abc\\\"", in: config) else {
            Issue.record("an unterminated string was accepted")
            return
        }
    }

    /// Printable ASCII lines take a byte scan; others the character scan. The two must
    /// split alike: a non-ASCII first word forces the character scan on the same line.
    @Test(arguments: [
        "vlan 100", "  name  \"web servers\"  ", "description \"a\\\"b\" tail", "description a\"b\"c",
        "description \"unterminated", "x\ty", "virt vmgroup 10 vm 00:50:56:9c:00:c8 ", "\"\"", "",
        "description \"C:\\vms\\\"", "a \"b\"c d",
    ])
    func asciiAndCharacterScansSplitAlike(_ line: String) {
        let ascii = Tokenizer.tokenize(line)
        let characters = Tokenizer.tokenize("é " + line)
        #expect(characters.tokens.first?.text == "é")
        let rest = characters.tokens.dropFirst()
        #expect(rest.map(\.text) == ascii.tokens.map(\.text), "\(line)")
        #expect(rest.map(\.raw) == ascii.tokens.map(\.raw), "\(line)")
        #expect(rest.map(\.terminated) == ascii.tokens.map(\.terminated), "\(line)")
        #expect(rest.map { $0.column - 2 } == ascii.tokens.map(\.column), "\(line)")
        #expect(characters.endsWithSpace == ascii.endsWithSpace || line.isEmpty)
    }
}
