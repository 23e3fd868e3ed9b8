import CommandEngine
import Console
import Switch
import Testing

/// Every action in the grammar has exactly one handler, and every handler is reachable
/// from some line of the grammar.
@Suite struct HandlerCoverageTests {
    let sw: VMreadySwitch

    init() throws { sw = try VMreadySwitch() }

    var table: HandlerTable { SessionCommands.table + sw.handlers }

    @Test func noActionHasTwoHandlers() {
        #expect(table.duplicateActions.isEmpty, "actions with more than one handler: \(table.duplicateActions)")
    }

    @Test func everyGrammarActionHasAHandler() {
        let handled = Set(table.entries.map(\.action)).union(SessionCommands.filterActions)
        let missing = sw.engine.actions.subtracting(handled)
        #expect(missing.isEmpty, "grammar actions without a handler: \(missing.sorted())")
    }

    @Test func everyHandlerIsReachable() {
        let handled = Set(table.entries.map(\.action)).union(SessionCommands.filterActions)
        let unreachable = handled.subtracting(sw.engine.actions)
        #expect(unreachable.isEmpty, "handlers no grammar line reaches: \(unreachable.sorted())")
    }

    /// Each command's sample line parses, in its mode, to that command's action.
    @Test func everySampleLineReachesItsAction() {
        let samples = sw.engine.samples()
        #expect(samples.count >= sw.engine.commands.count)
        for s in samples {
            let line = s.action.hasPrefix("filter.") ? "show version | " + s.line : s.line
            let mode = s.action.hasPrefix("filter.") ? sw.engine.mode(named: "user-exec") : s.mode
            guard let mode else { Issue.record("no user-exec mode"); continue }
            guard case .command(let c) = sw.engine.parse(line, in: mode) else {
                Issue.record("sample '\(line)' in \(sw.engine.info(mode).name) does not parse")
                continue
            }
            #expect((c.filter?.action ?? c.action) == s.action, "'\(line)'")
        }
    }

    /// The grammar embedded in the binary is the one in Grammar/.
    @Test func embeddedGrammarMatchesSourceFiles() throws {
        for file in VMreadySwitch.grammarFiles {
            let source = try String(contentsOf: TestPaths.packageRoot.appending(path: file.name), encoding: .utf8)
            #expect(source == file.text, "\(file.name) differs from the embedded copy")
        }
    }
}
