import CommandEngine
import Testing

/// Every mistake a grammar author can make is reported at its file and line.
@Suite struct GrammarErrorTests {
    static let header = """
        mode user-exec prompt ">"
        mode privileged-exec prompt "#" includes user-exec
        help show = Show
        help version = Version

        """ // 4 lines: the body starts at line 5

    static func error(_ body: String) -> GrammarError? {
        do {
            _ = try CommandEngine(files: [(name: "bad.grammar", text: header + body)])
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("in user-exec\nshow version", 6, "command needs '-> ACTION'"),
        ("in user-exec\nshow version -> a b", 6, "action must be one word"),
        ("show version -> show.version", 5, "command before any 'in MODE' line"),
        ("in nowhere\nshow version -> show.version", 6, "unknown mode 'nowhere'"),
        ("in user-exec\nshow <5-1>:n -> x", 6, "unknown parameter type '<5-1>'"),
        ("in user-exec\nshow FOO:n -> x", 6, "unknown parameter type 'FOO'"),
        ("in user-exec\nshow MAC -> x", 6, "parameter 'MAC' needs a name"),
        ("in user-exec\nshow Version -> x", 6, "bad keyword 'Version'"),
        ("in user-exec\nshow (version -> x", 6, "missing ')'"),
        ("in user-exec\nshow version] -> x", 6, "unexpected ']'"),
        ("in user-exec\nshow ( | version) -> x", 6, "empty alternative"),
        ("in user-exec\nshow (version [x]):n -> x", 6, "a named group may only hold single keywords"),
        ("in user-exec\nshow LINE:l version -> x", 6, "LINE must be the last word"),
        ("in user-exec\nshow version -> a\nshow version -> b", 7, "collides with 'show version'"),
        ("in user-exec\nshow version -> a => nowhere", 6, "names no enterable mode"),
        ("in user-exec\nshow history -> a", 6, "no help for 'history'"),
        ("help show = Again", 5, "help for 'show' already given at bad.grammar:3"),
        ("help shwo = Typo\nin user-exec\nshow version -> a", 5, "matches no word of any command"),
        ("help show =", 5, "help text is empty"),
        ("mode config prompt (config)#", 5, "prompt must be a quoted string"),
        ("mode config prompt \"x\" parent nowhere", 5, "unknown mode 'nowhere'"),
        ("mode user-exec prompt \">\"", 5, "mode 'user-exec' defined twice"),
        ("mode config colour red", 5, "unknown mode attribute 'colour'"),
        ("mode config", 5, "needs a prompt"),
    ])
    func reportsFileAndLine(body: String, line: Int, message: String) {
        guard let e = Self.error(body) else {
            Issue.record("accepted a bad grammar: \(body)")
            return
        }
        #expect(e.location == SourceLocation(file: "bad.grammar", line: line))
        #expect(e.message.contains(message), "\(e)")
        #expect(e.description.hasPrefix("bad.grammar:\(line): error: "))
    }

    @Test func validGrammarLoads() {
        #expect(Self.error("in user-exec\nshow version -> show.version") == nil)
    }
}
