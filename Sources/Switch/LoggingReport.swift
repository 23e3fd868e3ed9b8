/// `show logging`'s text, assembled in one place: the buffer's size, the console and each
/// remote collector with its counts, then the events.
enum LoggingReport {
    static func lines(_ sw: VMreadySwitch, last count: Int?) -> [String] {
        let log = sw.eventLog
        var events = log.events()
        let kept = events.count
        if let count { events = Array(events.suffix(count)) }
        let dropped = log.totalLogged - kept
        var out = ["Log buffer: \(log.capacity) events, \(log.totalLogged) logged since boot"
                   + (dropped > 0 ? ", \(dropped) no longer kept" : "")]
        let config = sw.state.withLock { $0.logging }
        if let severity = config.console {
            let lost = sw.logSinks.consoleDropped ?? 0
            out.append("Console: severity \(severity) (\(LoggingConfiguration.severityName(severity))) and above"
                       + (lost > 0 ? ", \(lost) dropped" : ""))
        }
        let senders = sw.logSinks.senders
        for number in config.hosts.keys.sorted() {
            guard let host = config.hosts[number] else { continue }
            var line = "Host \(number): \(host.address) port \(host.port) \(host.transport.rawValue), "
                + "severity \(host.severity) (\(LoggingConfiguration.severityName(host.severity))), facility local\(host.local): "
            if let stats = senders[number]?.statistics {
                if host.transport == .tcp { line += stats.connected ? "connected, " : "down, " }
                line += "\(stats.sent) sent, \(stats.dropped) dropped"
            } else {
                // Configured during a replay that has not ended: nothing runs yet.
                line += "not started"
            }
            out.append(line)
        }
        return out + events.map(EventLog.format)
    }
}
