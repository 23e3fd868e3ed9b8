import CommandEngine
import Switch
import Testing

/// What one registration per feature promises, checked on the product grammar.
@Suite struct FeatureRegistrationTests {
    let sw: VMreadySwitch

    init() throws { sw = try VMreadySwitch() }

    /// Every configuration sub-mode has the session commands as its own (not by falling
    /// through to config, which would move the session there), whatever its name.
    @Test func everyConfigModeHasTheSessionCommands() throws {
        let engine = sw.engine
        let config = try #require(engine.mode(named: "config"))
        let family = engine.modes.filter { mode in
            var current: ModeID? = mode.id
            while let m = current, m != config { current = engine.info(m).parent }
            return current == config
        }
        #expect(family.count >= 5)
        for mode in family {
            for (line, action) in [("exit", "session.exit"), ("end", "session.end"), ("help", "session.help")] {
                guard case .command(let c) = engine.parse(line, in: mode.id) else {
                    Issue.record("'\(line)' does not parse in \(mode.name)")
                    continue
                }
                #expect(c.action == action && c.mode == mode.id, "'\(line)' in \(mode.name)")
            }
        }
    }
}
