import CommandEngine
import Console
import RunningConfig

/// `snmp-server enable agentx [socket PATH]` and `show snmp`. The subagent itself is
/// `SNMPSubagent`; it follows the configuration whenever it is published.
enum SNMPCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.snmpAgentX) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                s.snmp.agentxSocket = SNMPConfiguration.defaultSocket
            }
        }
        t.on(.snmpAgentXSocket) { args, _ throws(CommandFailure) in
            let path = args.agentxsocket
            if let problem = SNMPConfiguration.problem(socket: path) { throw CommandFailure(problem) }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.snmp.agentxSocket = path }
        }
        t.on(.snmpAgentXDisable) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.snmp.agentxSocket = nil }
        }
        t.on(.showSNMP) { _, ctx in
            let configured = sw.state.withLock { $0.snmp.agentxSocket }
            ctx.show(SNMPReport(configured: configured, SNMPSubagent.shared.status(for: sw)))
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        guard let socket = s.snmp.agentxSocket else { return [] }
        let line = socket == SNMPConfiguration.defaultSocket ? "snmp-server enable agentx"
            : "snmp-server enable agentx socket " + ConfigText.quoted(socket)
        return [ConfigStanza(section: .system, key: 900, line: line)]
    }
}
