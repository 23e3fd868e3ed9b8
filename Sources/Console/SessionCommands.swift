import CommandEngine

/// The commands every session has, whatever the switch: moving between modes, leaving,
/// help (Grammar/session.grammar). None takes an argument; the terminal settings, which do,
/// are the switch's `TerminalCommands`, where typed arguments are generated.
public enum SessionCommands {
    public static var table: HandlerTable {
        var t = HandlerTable()
        // `enable`, `disable` and `configure terminal` belong to the switch: they check the
        // enable secret, log privilege changes and see the other sessions.
        t.on("session.exit") { ctx in ctx.session.exitMode() }
        t.on("session.logout") { ctx in ctx.session.close() }
        t.on("session.end") { ctx in ctx.session.endConfig() }
        t.on("session.help") { ctx in ctx.print(lines: helpText) }
        return t
    }

    /// The output-modifier actions, handled by the shell on any show command's output.
    public static var filterActions: Set<String> { Set(OutputFilter.handlers.keys).union(OutputFilter.formatActions) }

    static let helpText = [
        "Help may be requested at any point in a command by entering",
        "a question mark '?'.  If nothing matches, the help list will",
        "be empty and you must backup until entering a '?' shows the",
        "available options.",
        "Two styles of help are provided:",
        "1. Full help is available when you are ready to enter a",
        "   command argument (e.g. 'show ?') and describes each possible",
        "   argument.",
        "2. Partial help is provided when an abbreviated argument is entered",
        "   and you want to know what arguments match the input",
        "   (e.g. 'show ve?'.)",
        "TAB completes a keyword, or lists the choices when several fit.",
        "Any unique abbreviation of a keyword stands for it: 'sh run'.",
    ]
}
