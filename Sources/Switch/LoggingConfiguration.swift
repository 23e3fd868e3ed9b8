import Frames
import Syslog

/// `logging ...`: where events go besides the buffer behind `show logging`.
struct LoggingConfiguration: Hashable, Sendable {
    /// One remote collector (`logging host N ...`).
    struct Host: Hashable, Sendable {
        var address: IPv4Address
        var port = LoggingConfiguration.defaultPort
        var transport = SyslogDestination.Transport.udp
        /// Events at this severity or more severe (numerically lower) are sent.
        var severity = LoggingConfiguration.defaultSeverity
        /// localN: N, 0-7 (the syslog facility is 16 + N).
        var local = LoggingConfiguration.defaultLocal

        var destination: SyslogDestination {
            SyslogDestination(address: address.description, port: UInt16(port), transport: transport)
        }
    }

    /// As Cisco IOS: informational and above, facility local7, port 514.
    static let defaultSeverity = 6
    static let defaultLocal = 7
    static let defaultPort = 514
    static let hostNumbers = 1...4
    static let bufferRange = 100...100_000

    /// By host number, 1-4.
    var hosts: [Int: Host] = [:]
    /// `logging console [severity N]`: events at N or more severe also go to the switch
    /// process's stderr; nil: off (the default, so that scripts reading a batch session's
    /// stderr for its `line N:` errors do not get events mixed in).
    var console: Int?
    /// `logging buffered SIZE`: events `show logging` keeps.
    var buffered = EventLog.defaultCapacity

    static func severityName(_ severity: Int) -> String {
        ["emergency", "alert", "critical", "error", "warning", "notice", "informational", "debugging"][min(max(severity, 0), 7)]
    }
}
