import ArgumentParser
import Dataplane
import Foundation
import Frames

/// The command line of `vmready`. Parsing only: `main.swift` runs what it asks for.
struct VMreadyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmready",
        abstract: "VMready: a virtualization-aware switch.",
        discussion: """
            With a terminal on stdin, starts an interactive console. With stdin not a \
            terminal, --batch or -c, runs the commands as a batch (privileged exec; errors \
            on stderr as `line N:`; exit status 1 if any line failed). With --console none, \
            runs headless until SIGTERM or SIGINT. Operators attach with \
            `vmready connect [--state-dir DIR]` through the control socket DIR/vmready.sock.
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
        "Attach port P to Linux interface IFNAME (live: AF_XDP where the kernel allows it, else libpcap; "
            + "xdp: or pcap: chooses) or replay its ingress from a pcap file (repeatable).",
        valueName: "P=IFNAME|P=xdp:IFNAME|P=pcap:IFNAME|P=file:PATH"))
    var attach: [String] = []

    @Option(name: .customLong("xdp-fast-path"), help: ArgumentHelp(
        "on: AF_XDP ports forward known unicast between them in the kernel (XDP) where it allows it; "
            + "off: every frame goes through the switch's userspace path.",
        valueName: "on|off"))
    var xdpFastPath: OnOff = .on

    @Option(name: .customLong("capture"), help: ArgumentHelp("Also write every port's egress to DIR/port-P.pcap.", valueName: "DIR"))
    var captureDirectory: String?

    @Option(name: .customLong("system-mac"), help: ArgumentHelp(
        "The switch's MAC (LLDP Chassis ID, source of what it sends); default derived from /etc/machine-id and the state directory.",
        valueName: "MAC"))
    var systemMAC: String?

    @Option(name: .customLong("batch"), help: ArgumentHelp("Run the commands in FILE, then exit.", valueName: "FILE"))
    var batchFile: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("Run this command (repeatable), then exit.", valueName: "CMD"))
    var commands: [String] = []

    @Flag(name: .customLong("stop-on-error"), help: "In a batch, stop at the first failing line.")
    var stopOnError = false

    @Option(name: .customLong("console"), help: ArgumentHelp(
        "stdin: a console or batch on standard input (default); none: no console, run until SIGTERM/SIGINT.",
        valueName: "stdin|none"))
    var console: ConsoleMode = .stdin

    @Flag(name: .customLong("echo"), help: "In a batch, print each command after its prompt, as a terminal shows it.")
    var echo = false

    func validate() throws {
        guard (1...64).contains(ports) else { throw ValidationError("--ports must be between 1 and 64") }
        _ = try attachments()
        if let systemMAC {
            guard let mac = MACAddress(systemMAC), !mac.isMulticast, mac != .zero else {
                throw ValidationError("--system-mac takes a unicast MAC address such as 02:00:00:00:00:01, got '\(systemMAC)'")
            }
        }
        if batchFile != nil && !commands.isEmpty { throw ValidationError("--batch and -c cannot be combined") }
        if console == .none && (batchFile != nil || !commands.isEmpty) {
            throw ValidationError("--console none runs no session: it cannot take --batch or -c")
        }
    }

    /// The `--attach` values by port.
    func attachments() throws -> [Int: PortAttachment] {
        var out: [Int: PortAttachment] = [:]
        for item in attach {
            guard let eq = item.firstIndex(of: "="), let port = Int(item[..<eq]), !item[item.index(after: eq)...].isEmpty else {
                throw ValidationError("--attach takes P=IFNAME, P=xdp:IFNAME, P=pcap:IFNAME or P=file:PATH, got '\(item)'")
            }
            guard (1...ports).contains(port) else { throw ValidationError("--attach: port \(port) is not in 1-\(ports)") }
            guard out[port] == nil else { throw ValidationError("--attach: port \(port) is attached twice") }
            out[port] = PortAttachment(parsing: String(item[item.index(after: eq)...]))
        }
        return out
    }

    var resolvedStateDir: String { Self.stateDirectory(stateDir) }

    /// `--state-dir`, else `$XDG_STATE_HOME/vmready`, else `~/.local/state/vmready`.
    static func stateDirectory(_ given: String?) -> String {
        if let stateDir = given { return stateDir }
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/vmready" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/state/vmready"
    }
}

/// An on/off option value (`--xdp-fast-path on|off`).
enum OnOff: String, ExpressibleByArgument {
    case on
    case off
}

/// Where the switch's own session runs (`--console`).
enum ConsoleMode: String, ExpressibleByArgument {
    /// A terminal on standard input, else a batch: today's behaviour.
    case stdin
    /// No session: a service that operators reach through `vmready connect`.
    case none
}
