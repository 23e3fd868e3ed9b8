import Console

/// `show snmp`: the AgentX subagent's state: configured or not, connected to snmpd or not,
/// what it served.
struct SNMPReport: ShowReport {
    var agentxEnabled: Bool
    /// snmpd's AgentX socket, while enabled.
    var masterSocket: String?
    var connected: Bool
    /// How often a subagent that is not connected tries again.
    var retrySeconds: Int
    var connectionsMade: Int
    var valuesServed: UInt64
    var mibs: [String]

    /// `status` is nil when this switch is not the one the process's subagent serves.
    init(configured socket: String?, _ status: SNMPSubagent.Status?) {
        agentxEnabled = socket != nil
        masterSocket = socket
        connected = socket != nil && status?.connected == true
        retrySeconds = Int(SNMPSubagent.pingSeconds)
        connectionsMade = status?.connects ?? 0
        valuesServed = status?.valuesServed ?? 0
        mibs = ["IF-MIB", "BRIDGE-MIB", "Q-BRIDGE-MIB", "LLDP-MIB"]
    }

    var lines: [String] {
        guard let socket = masterSocket else { return ["AgentX subagent: disabled"] }
        let connection = connected ? "connected" : "not connected (retrying every \(retrySeconds) seconds)"
        return [
            "AgentX subagent: enabled",
            "  Master socket:        " + socket,
            "  Connection:           " + connection,
            "  Connections made:     \(connectionsMade)",
            "  Values served:        \(valuesServed)",
            "  MIBs:                 " + mibs.joined(separator: ", "),
        ]
    }
}
