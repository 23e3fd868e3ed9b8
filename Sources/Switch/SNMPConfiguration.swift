/// `snmp-server enable agentx [socket PATH]`: whether the switch serves its MIBs to the
/// host's snmpd, and where snmpd's AgentX master listens.
struct SNMPConfiguration: Hashable, Sendable {
    /// net-snmp's own default (`agentXSocket` unset in snmpd.conf).
    static let defaultSocket = "/var/agentx/master"
    /// A Unix socket's path fits `sun_path` (108 bytes with its NUL).
    static let maximumSocketLength = 107

    /// The master's socket while the subagent is enabled; nil when it is not (the default).
    var agentxSocket: String?

    /// Why `path` is refused as the AgentX socket, nil when acceptable. Whether snmpd
    /// listens there is the connection's business (`show snmp`): a startup-config naming a
    /// socket snmpd creates later must not lose the line.
    static func problem(socket path: String) -> String? {
        guard path.hasPrefix("/"), path.utf8.count <= maximumSocketLength,
              path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f }) else {
            return "Invalid AgentX socket: an absolute path of 1-\(maximumSocketLength) printable characters, no spaces"
        }
        return nil
    }
}
