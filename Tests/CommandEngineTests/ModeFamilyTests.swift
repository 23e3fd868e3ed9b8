import CommandEngine
import Testing

/// `in M+`: M and every mode whose parent chain reaches M. A sub-mode added later gets the
/// session commands every configuration mode has without session.grammar naming it.
@Suite struct ModeFamilyTests {
    static let grammar = """
        mode user-exec  prompt ">"
        mode config     prompt "(config)#"
        mode vlan       prompt "(config-vlan)#"      parent config
        mode vnic       prompt "(config-vnic)#"      parent config
        mode vnic-queue prompt "(config-vnic-q)#"    parent vnic

        in config+
        exit -> session.exit
        end  -> session.end

        in config
        vnic <1-8>:n -> vnic.enter => vnic
        in vnic
        queue <0-7>:q -> vnic.queue => vnic-queue
        in user-exec
        show version -> show.version

        help exit = Exit
        help end = End
        help vnic = vNIC
        help :n = Number
        help queue = Queue
        help :q = Queue number
        help show = Show
        help version = Version
        """

    static func engine(_ text: String = grammar) throws -> CommandEngine {
        try CommandEngine(files: [(name: "family.grammar", text: text)])
    }

    static func action(_ engine: CommandEngine, _ line: String, in modeName: String) -> String? {
        guard let mode = engine.mode(named: modeName),
              case .command(let c) = engine.parse(line, in: mode) else { return nil }
        return c.action
    }

    @Test func configAndEveryModeBelowItGetTheCommands() throws {
        let e = try Self.engine()
        for mode in ["config", "vlan", "vnic", "vnic-queue"] {
            #expect(Self.action(e, "exit", in: mode) == "session.exit", "\(mode)")
            #expect(Self.action(e, "end", in: mode) == "session.end", "\(mode)")
        }
    }

    /// The commands are the mode's own, not a fall-through to config: the reference manual
    /// lists them under each mode.
    @Test func eachModeListsThemInTheReference() throws {
        let reference = try Self.engine().referenceMarkdown()
        let vnicQueue = reference.components(separatedBy: "## Mode `vnic-queue`").last ?? ""
        #expect(vnicQueue.contains("| `exit` |"))
    }

    @Test func modesOutsideTheFamilyDoNot() throws {
        let e = try Self.engine()
        #expect(Self.action(e, "exit", in: "user-exec") == nil)
    }

    @Test func anUnknownFamilyIsReportedAtItsLine() {
        let text = "mode config prompt \"(config)#\"\nin nowhere+\nexit -> session.exit\nhelp exit = Exit"
        do {
            _ = try Self.engine(text)
            Issue.record("accepted 'in nowhere+'")
        } catch let error as GrammarError {
            #expect(error.location == SourceLocation(file: "family.grammar", line: 3))
            #expect(error.message.contains("unknown mode 'nowhere'"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
