import Console
import Foundation
import Frames

/// `show logging [last N]`: the buffer's figures, where else events go (the console, remote
/// collectors with what each was sent), then the events, oldest first.
struct LoggingReport: ShowReport {
    struct Console: Encodable {
        /// Events at this severity (0-7) and more severe are written.
        var severity: Int
        var severityName: String
        /// Lines the console could not take.
        var dropped: Int
    }

    struct Host: Encodable {
        var host: Int
        var address: IPv4Address
        var port: Int
        /// `udp` or `tcp`.
        var transport: String
        var severity: Int
        var severityName: String
        /// `local0` ... `local7`.
        var facility: String
        /// `connected` or `down` (TCP), `sending` (UDP), or `not started` (configured
        /// during a boot replay that has not ended).
        var state: String
        var sent: Int
        var dropped: Int
    }

    struct Event: Encodable {
        var time: Date
        /// 1 (alert) to 6 (informational), as syslog numbers them.
        var severity: Int
        /// `ALERT`, `CRIT`, `ERR`, `WARNING`, `NOTICE`, `INFO`.
        var severityName: String
        /// The part of the switch that logged it: `virt`, `vmcheck`, `access`, ...
        var facility: String
        var message: String
        /// Its position in the log since boot.
        var sequence: Int
        /// The VM and the port it is about, where there are.
        var mac: MACAddress?
        var port: String?
        fileprivate var text: String

        enum CodingKeys: String, CodingKey { case time, severity, severityName, facility, message, sequence, mac, port }
    }

    var bufferCapacity: Int
    var loggedSinceBoot: Int
    /// Events logged since boot that the buffer no longer holds.
    var noLongerKept: Int
    var console: Console?
    var hosts: [Host]
    var events: [Event]

    init(_ sw: VMreadySwitch, last count: Int?) {
        let log = sw.eventLog
        var events = log.events()
        let kept = events.count
        if let count { events = Array(events.suffix(count)) }
        bufferCapacity = log.capacity
        loggedSinceBoot = log.totalLogged
        noLongerKept = log.totalLogged - kept
        let config = sw.state.withLock { $0.logging }
        console = config.console.map {
            Console(severity: $0, severityName: LoggingConfiguration.severityName($0), dropped: sw.logSinks.consoleDropped ?? 0)
        }
        let senders = sw.logSinks.senders
        hosts = config.hosts.keys.sorted().compactMap { number in
            guard let host = config.hosts[number] else { return nil }
            let stats = senders[number]?.statistics
            let state = stats.map { host.transport == .tcp ? ($0.connected ? "connected" : "down") : "sending" } ?? "not started"
            return Host(host: number, address: host.address, port: host.port, transport: host.transport.rawValue,
                        severity: host.severity, severityName: LoggingConfiguration.severityName(host.severity),
                        facility: "local\(host.local)", state: state, sent: stats?.sent ?? 0, dropped: stats?.dropped ?? 0)
        }
        self.events = events.map {
            Event(time: $0.time, severity: $0.severity.rawValue, severityName: $0.severity.label, facility: $0.facility,
                  message: $0.message, sequence: $0.sequence, mac: $0.mac, port: $0.port, text: EventLog.format($0))
        }
    }

    var lines: [String] {
        var out = ["Log buffer: \(bufferCapacity) events, \(loggedSinceBoot) logged since boot"
                   + (noLongerKept > 0 ? ", \(noLongerKept) no longer kept" : "")]
        if let console {
            out.append("Console: severity \(console.severity) (\(console.severityName)) and above"
                       + (console.dropped > 0 ? ", \(console.dropped) dropped" : ""))
        }
        for host in hosts {
            var line = "Host \(host.host): \(host.address) port \(host.port) \(host.transport), "
                + "severity \(host.severity) (\(host.severityName)), facility \(host.facility): "
            switch host.state {
            case "not started": line += "not started"
            case "sending": line += "\(host.sent) sent, \(host.dropped) dropped"
            default: line += "\(host.state), \(host.sent) sent, \(host.dropped) dropped"
            }
            out.append(line)
        }
        return out + events.map(\.text)
    }
}
