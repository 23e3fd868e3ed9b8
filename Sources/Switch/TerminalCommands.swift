import Console
import RunningConfig

/// `terminal length`, `no terminal length`, `show history`: the session's own settings
/// (Grammar/terminal.grammar). They live with the switch's features, not in Console's
/// `SessionCommands`, because the typed arguments are generated here.
enum TerminalCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.terminalLength) { args, ctx in ctx.session.terminalLength = args.lines }
        t.on(.terminalLengthDefault) { _, ctx in ctx.session.terminalLength = nil }
        t.on(.showHistory) { _, ctx in ctx.show(HistoryReport(commands: ctx.session.history)) }
    }

    /// Per-session settings: nothing in the running configuration.
    static func stanzas(_: SwitchState) -> [ConfigStanza] { [] }
}
