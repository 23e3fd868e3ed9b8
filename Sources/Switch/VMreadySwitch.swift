import CommandEngine
import Configuration
import Console
import Foundation
import Synchronization

/// The composition root: the command engine over the embedded grammar, the switch's state,
/// and one handler per grammar action. Every session, terminal or batch, runs against one.
public final class VMreadySwitch: CommandHost, Sendable {
    public static let version = "0.1.0"

    public let engine: CommandEngine
    public let portCount: Int
    let state: Mutex<SwitchState>
    let bootTime = Date()

    public init(portCount: Int = 8) throws(GrammarError) {
        engine = try CommandEngine(files: EmbeddedGrammar.files)
        self.portCount = portCount
        state = Mutex(SwitchState(portCount: portCount))
    }

    /// One handler per grammar action, bound to this switch.
    public var handlers: HandlerTable {
        SystemCommands.table(self) + VLANCommands.table(self) + InterfaceCommands.table(self)
    }

    public var hostname: String { state.withLock { $0.hostname } }

    /// The grammar files the engine was built from (for the reference manual and tests).
    public static var grammarFiles: [(name: String, text: String)] { EmbeddedGrammar.files }

    /// A new session's shell. Local sessions start privileged (cli.md: whoever may run the
    /// binary on the state dir owns the switch).
    public func shell(kind: SessionKind, privileged: Bool = true) throws(ShellSetupError) -> Shell {
        try Shell(host: self, kind: kind, privileged: privileged)
    }

    public func completionValues(for slot: ParameterSlot) -> [String] {
        switch slot.name {
        case "vlan": return state.withLock { $0.vlans.keys.sorted().map(String.init) }
        case "ports": return (1...max(portCount, 1)).map(String.init)
        default: return []
        }
    }

    /// The running configuration, as `show running-config` prints it.
    public func runningConfig() -> [String] {
        let stanzas = state.withLock { s in
            SystemCommands.stanzas(s) + VLANCommands.stanzas(s) + InterfaceCommands.stanzas(s)
        }
        return RunningConfigRenderer.render(version: "vmready " + Self.version, stanzas: stanzas)
    }
}
