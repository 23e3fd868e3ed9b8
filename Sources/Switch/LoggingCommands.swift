import CommandEngine
import Console
import Frames
import RunningConfig
import Syslog

/// `show logging`, `clear logging`, and where events go besides the buffer: `logging host`
/// (remote syslog), `logging console`, `logging buffered`. The senders are `EventLogSinks`'.
enum LoggingCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.showLogging) { args, ctx in ctx.show(LoggingReport(sw, last: args.count)) }
        t.on(.loggingClear) { _, _ in sw.eventLog.clear() }

        t.on(.loggingHostAddress) { args, _ throws(CommandFailure) in
            let address = args.address
            // Where no collector can be: a datagram to it would go nowhere or everywhere.
            guard address != .zero, address.rawValue >> 28 < 0xe else {
                throw CommandFailure("Invalid collector address \(address): a unicast IPv4 address")
            }
            let number = args.host, port = args.port ?? LoggingConfiguration.defaultPort
            let transport: SyslogDestination.Transport = args.tcp ? .tcp : .udp
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                var host = s.logging.hosts[number] ?? LoggingConfiguration.Host(address: address)
                host.address = address
                host.port = port
                host.transport = transport
                s.logging.hosts[number] = host
            }
        }
        t.on(.loggingHostSeverity) { args, _ throws(CommandFailure) in
            let severity = args.severity
            try editHost(sw, args.host) { $0.severity = severity }
        }
        t.on(.loggingHostFacility) { args, _ throws(CommandFailure) in
            let local = Int(args.facility.rawValue.dropFirst("local".count)) ?? LoggingConfiguration.defaultLocal
            try editHost(sw, args.host) { $0.local = local }
        }
        t.on(.loggingHostRemove) { args, _ throws(CommandFailure) in
            let number = args.host
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard s.logging.hosts.removeValue(forKey: number) != nil else {
                    throw CommandFailure("Logging host \(number) is not configured")
                }
            }
        }
        t.on(.loggingConsole) { args, _ throws(CommandFailure) in
            let severity = args.severity ?? LoggingConfiguration.defaultSeverity
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.logging.console = severity }
        }
        t.on(.loggingConsoleRemove) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.logging.console = nil }
        }
        t.on(.loggingBuffered) { args, _ throws(CommandFailure) in
            let size = args.size
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.logging.buffered = size }
        }
        t.on(.loggingBufferedDefault) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.logging.buffered = EventLog.defaultCapacity }
        }
    }

    /// A change to a host that has an address (`logging host N address ...` first).
    private static func editHost(_ sw: VMreadySwitch, _ number: Int,
                                 _ edit: @escaping (inout LoggingConfiguration.Host) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            guard var host = s.logging.hosts[number] else {
                throw CommandFailure("Logging host \(number) has no address: logging host \(number) address A.B.C.D first")
            }
            edit(&host)
            s.logging.hosts[number] = host
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        let config = s.logging
        var lines: [String] = []
        if config.buffered != EventLog.defaultCapacity { lines.append("logging buffered \(config.buffered)") }
        if let severity = config.console {
            lines.append("logging console" + (severity == LoggingConfiguration.defaultSeverity ? "" : " severity \(severity)"))
        }
        for number in config.hosts.keys.sorted() {
            guard let host = config.hosts[number] else { continue }
            var line = "logging host \(number) address \(host.address)"
            if host.port != LoggingConfiguration.defaultPort { line += " port \(host.port)" }
            if host.transport == .tcp { line += " tcp" }
            lines.append(line)
            if host.severity != LoggingConfiguration.defaultSeverity { lines.append("logging host \(number) severity \(host.severity)") }
            if host.local != LoggingConfiguration.defaultLocal { lines.append("logging host \(number) facility local\(host.local)") }
        }
        return lines.isEmpty ? [] : [ConfigStanza(section: .system, key: 5, lines: lines)]
    }
}
