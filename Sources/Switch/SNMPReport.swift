/// The text of `show snmp`.
enum SNMPReport {
    /// The subagent's state: configured or not, connected to snmpd or not, what it served.
    /// `status` is nil when this switch is not the one the process's subagent serves.
    static func status(configured socket: String?, _ status: SNMPSubagent.Status?) -> [String] {
        guard let socket else { return ["AgentX subagent: disabled"] }
        let connection: String
        if let status, status.connected {
            connection = "connected"
        } else {
            connection = "not connected (retrying every \(SNMPSubagent.pingSeconds) seconds)"
        }
        return [
            "AgentX subagent: enabled",
            "  Master socket:        " + socket,
            "  Connection:           " + connection,
            "  Connections made:     \(status?.connects ?? 0)",
            "  Values served:        \(status?.valuesServed ?? 0)",
            "  MIBs:                 IF-MIB, BRIDGE-MIB, Q-BRIDGE-MIB, LLDP-MIB",
        ]
    }
}
