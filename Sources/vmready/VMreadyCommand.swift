import ArgumentParser
import Dataplane
import Foundation

/// The command line of `vmready`. Parsing only: `main.swift` runs what it asks for.
struct VMreadyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmready",
        abstract: "VMready: a virtualization-aware switch.",
        discussion: """
            With a terminal on stdin, starts an interactive console. With stdin not a \
            terminal, --batch or -c, runs the commands as a batch (privileged exec; errors \
            on stderr as `line N:`; exit status 1 if any line failed).
            """,
        version: "vmready 0.1.0")

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Where history and flash live.", valueName: "DIR"))
    var stateDir: String?

    @Option(name: .customLong("startup-config"), help: ArgumentHelp(
        "Boot from this configuration text instead of flash.", valueName: "FILE"))
    var startupConfig: String?

    @Option(name: .customLong("ports"), help: ArgumentHelp("Number of switch ports (1-64).", valueName: "N"))
    var ports: Int = 8

    @Option(name: .customLong("attach"), help: ArgumentHelp(
        "Attach port P to Linux interface IFNAME (live, libpcap) or replay its ingress from a pcap file (repeatable).",
        valueName: "P=IFNAME|P=file:PATH"))
    var attach: [String] = []

    @Option(name: .customLong("capture"), help: ArgumentHelp("Also write every port's egress to DIR/port-P.pcap.", valueName: "DIR"))
    var captureDirectory: String?

    @Option(name: .customLong("batch"), help: ArgumentHelp("Run the commands in FILE, then exit.", valueName: "FILE"))
    var batchFile: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("Run this command (repeatable), then exit.", valueName: "CMD"))
    var commands: [String] = []

    @Flag(name: .customLong("stop-on-error"), help: "In a batch, stop at the first failing line.")
    var stopOnError = false

    @Flag(name: .customLong("echo"), help: "In a batch, print each command after its prompt, as a terminal shows it.")
    var echo = false

    func validate() throws {
        guard (1...64).contains(ports) else { throw ValidationError("--ports must be between 1 and 64") }
        _ = try attachments()
        if batchFile != nil && !commands.isEmpty { throw ValidationError("--batch and -c cannot be combined") }
    }

    /// The `--attach` values by port.
    func attachments() throws -> [Int: PortAttachment] {
        var out: [Int: PortAttachment] = [:]
        for item in attach {
            guard let eq = item.firstIndex(of: "="), let port = Int(item[..<eq]), !item[item.index(after: eq)...].isEmpty else {
                throw ValidationError("--attach takes P=IFNAME or P=file:PATH, got '\(item)'")
            }
            guard (1...ports).contains(port) else { throw ValidationError("--attach: port \(port) is not in 1-\(ports)") }
            guard out[port] == nil else { throw ValidationError("--attach: port \(port) is attached twice") }
            out[port] = PortAttachment(parsing: String(item[item.index(after: eq)...]))
        }
        return out
    }

    /// `--state-dir`, else `$XDG_STATE_HOME/vmready`, else `~/.local/state/vmready`.
    var resolvedStateDir: String {
        if let stateDir { return stateDir }
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/vmready" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/state/vmready"
    }
}
