import ArgumentParser

/// `vmready connect`: the command line of the client that attaches a terminal (or a piped
/// script) to the switch already running on a state directory.
struct ConnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmready connect",
        abstract: "Attach this terminal (or the script on stdin) to the running switch.",
        discussion: """
            A terminal on stdin gets an interactive session, else the lines on stdin run as a \
            batch. Sessions start in user exec; `enable` asks for the enable secret when one \
            is set. This is what sshd (ForceCommand) and a serial getty run for operators.
            """)

    @Option(name: .customLong("state-dir"), help: ArgumentHelp(
        "The running switch's state directory (its control socket is DIR/vmready.sock).", valueName: "DIR"))
    var stateDir: String?

    @Flag(name: .customLong("stop-on-error"), help: "In a batch, stop at the first failing line.")
    var stopOnError = false
}
