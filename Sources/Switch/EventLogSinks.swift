import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Syslog

/// Where events go besides the buffer: the remote collectors (`logging host`) and the
/// console (`logging console`). The event log hands each event over under its own lock,
/// so everything here only queues: the senders and the console writer run on their own
/// threads behind bounded queues, and a full queue drops (and counts) the event.
final class EventLogSinks: Sendable {
    /// The private enterprise number RFC 5612 reserves for documentation and examples
    /// (32473): the switch has no number of its own, and a made-up one could be someone's.
    static let enterpriseNumber = 32473
    static let structuredDataID = "vmready@\(enterpriseNumber)"
    static let appName = "vmready"

    private struct State {
        var applied: LoggingConfiguration?
        var hostname = ""
        var senders: [Int: SyslogSender] = [:]
        var console: ConsoleLogWriter?
    }

    private let state = Mutex(State())
    /// What `deliver` reads on every event: the host thresholds and the console's.
    private let routes = Mutex<(hostname: String, hosts: [(sender: SyslogSender, severity: Int)])>(("", []))
    private let consoleRoute = Mutex<(writer: ConsoleLogWriter, severity: Int)?>(nil)
    private let consoleDescriptor: Int32

    init(consoleDescriptor: Int32) { self.consoleDescriptor = consoleDescriptor }

    deinit {
        state.withLock { s in
            for sender in s.senders.values { sender.stop() }
            s.console?.stop()
        }
    }

    /// Brings the senders and the console writer in line with `config`. Called under the
    /// switch's state lock on every change: cheap when nothing changed, and never waits
    /// (senders start and stop their threads, connecting is theirs).
    func apply(_ config: LoggingConfiguration, hostname: String, to log: EventLog) {
        let changed = state.withLock { (s: inout State) -> Bool in
            guard s.applied != config || s.hostname != hostname else { return false }
            update(&s, to: config, hostname: hostname)
            return true
        }
        guard changed else { return }
        log.setCapacity(config.buffered)
        let active = !config.hosts.isEmpty || config.console != nil
        if active {
            log.setSink { @Sendable [weak self] event in self?.deliver(event) }
        } else {
            log.setSink(nil)
        }
    }

    private func update(_ s: inout State, to config: LoggingConfiguration, hostname: String) {
        for (number, sender) in s.senders where config.hosts[number]?.destination != sender.destination {
            // A new destination is a new sender (its counts start again); a new severity
            // or facility is the same sender with new settings.
            sender.stop()
            s.senders[number] = nil
        }
        var newRoutes: [(sender: SyslogSender, severity: Int)] = []
        for number in config.hosts.keys.sorted() {
            guard let host = config.hosts[number] else { continue }
            let identity = SyslogSender.Identity(facility: 16 + host.local, appName: Self.appName, procID: String(getpid()))
            let sender: SyslogSender
            if let existing = s.senders[number] {
                existing.setIdentity(identity)
                sender = existing
            } else {
                sender = SyslogSender(destination: host.destination, identity: identity)
                s.senders[number] = sender
            }
            newRoutes.append((sender, host.severity))
        }
        routes.withLock { $0 = (hostname, newRoutes) }
        if let severity = config.console {
            let writer = s.console ?? ConsoleLogWriter(descriptor: consoleDescriptor)
            s.console = writer
            consoleRoute.withLock { $0 = (writer, severity) }
        } else {
            consoleRoute.withLock { $0 = nil }
            s.console?.stop()
            s.console = nil
        }
        s.applied = config
        s.hostname = hostname
    }

    /// Queues `event` for every destination whose severity it reaches. Never waits.
    func deliver(_ event: EventLog.Event) {
        let severity = event.severity.rawValue
        let (hostname, targets) = routes.withLock { routes in
            (routes.hostname, routes.hosts.filter { severity <= $0.severity }.map(\.sender))
        }
        if !targets.isEmpty {
            let record = Self.record(event, hostname: hostname)
            for sender in targets { sender.submit(record) }
        }
        if let console = consoleRoute.withLock({ $0 }), severity <= console.severity {
            console.writer.submit(EventLog.format(event))
        }
    }

    /// The event as syslog carries it: MSGID the part of the switch that logged it, and
    /// the VM's MAC and the port as structured data where the event has them.
    static func record(_ event: EventLog.Event, hostname: String) -> SyslogRecord {
        var parameters: [(name: String, value: String)] = []
        if let mac = event.mac { parameters.append(("mac", mac.description)) }
        if let port = event.port { parameters.append(("port", port)) }
        let data = parameters.isEmpty ? [] : [StructuredDataElement(id: structuredDataID, parameters: parameters)]
        return SyslogRecord(time: event.time, hostname: hostname, severity: event.severity.rawValue, msgID: event.facility,
                            structuredData: data, message: event.message)
    }

    /// Each configured host's sender, by host number (for `show logging`).
    var senders: [Int: SyslogSender] { state.withLock { $0.senders } }

    /// Events the console writer dropped (its queue full: a console slower than the events).
    var consoleDropped: Int? { state.withLock { $0.console?.dropped } }
}
