import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Frames
import Synchronization

/// The switch's log buffer (`show logging`): a bounded ring of events, newest last.
/// Bounded so that a flood of events (a spoofing VM flapping thousands of times)
/// costs a constant amount of memory and never blocks the code that logs.
public final class EventLog: Sendable {
    /// Most events kept; older ones are dropped first.
    public static let defaultCapacity = 1000

    /// Syslog severities the switch uses.
    public enum Severity: Int, Sendable, Comparable, CaseIterable {
        case alert = 1, critical, error, warning, notice, info

        public var label: String {
            switch self {
            case .alert: "ALERT"
            case .critical: "CRIT"
            case .error: "ERR"
            case .warning: "WARNING"
            case .notice: "NOTICE"
            case .info: "INFO"
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    }

    /// One logged event.
    public struct Event: Sendable, Hashable {
        public var time: Date
        public var severity: Severity
        /// Which part of the switch logged it: `virt`, `vmcheck`, `access`, `system`, ...
        public var facility: String
        public var message: String
        /// Position in the whole log since boot, so a reader can tell how many were dropped.
        public var sequence: Int
        /// The VM the event is about, where there is one (remote syslog's structured data;
        /// the message says it too).
        public var mac: MACAddress?
        /// The port the event happened on (`3`, or a vNIC `3.2`), where there is one.
        public var port: String?
    }

    private struct Ring: Sendable {
        var events: [Event] = []
        var start = 0
        var next = 0
        var capacity: Int
        /// Also gets every event (remote syslog, the console); called under the ring's lock,
        /// so events arrive in sequence order: it must only queue, never wait.
        var sink: (@Sendable (Event) -> Void)?
    }

    private let ring: Mutex<Ring>

    public init(capacity: Int = EventLog.defaultCapacity) { ring = Mutex(Ring(capacity: max(1, capacity))) }

    /// Most events kept (`logging buffered`).
    public var capacity: Int { ring.withLock { $0.capacity } }

    /// Records an event. Never waits on anything but the log's own short lock.
    public func log(_ severity: Severity, _ facility: String, _ message: String, at time: Date = Date(),
                    mac: MACAddress? = nil, port: String? = nil) {
        ring.withLock { ring in
            let event = Event(time: time, severity: severity, facility: facility, message: message,
                              sequence: ring.next, mac: mac, port: port)
            ring.next += 1
            if ring.events.count < ring.capacity {
                ring.events.append(event)
            } else {
                ring.events[ring.start] = event
                ring.start = (ring.start + 1) % ring.capacity
            }
            ring.sink?(event)
        }
    }

    /// Keeps at most `capacity` events from now on, the newest when it shrinks.
    public func setCapacity(_ capacity: Int) {
        ring.withLock { ring in
            let capacity = max(1, capacity)
            guard capacity != ring.capacity else { return }
            let kept = Array((ring.events[ring.start...] + ring.events[..<ring.start]).suffix(capacity))
            ring.events = kept
            ring.start = 0
            ring.capacity = capacity
        }
    }

    /// Hands every later event to `sink` as well (nil: to nobody). `sink` must not log.
    public func setSink(_ sink: (@Sendable (Event) -> Void)?) {
        ring.withLock { $0.sink = sink }
    }

    /// The kept events, oldest first.
    public func events() -> [Event] {
        ring.withLock { Array($0.events[$0.start...] + $0.events[..<$0.start]) }
    }

    /// Events logged since boot (including those no longer kept).
    public var totalLogged: Int { ring.withLock { $0.next } }

    /// Forgets every kept event (`clear logging`); the sequence keeps counting.
    public func clear() {
        ring.withLock {
            $0.events.removeAll()
            $0.start = 0
        }
    }

    /// `Nov 21 14:35:02 NOTICE  virt: text`, in UTC so logs from switches in several
    /// time zones line up.
    public static func format(_ event: Event) -> String {
        let severity = event.severity.label.padding(toLength: 7, withPad: " ", startingAt: 0)
        return stamp(event.time) + " " + severity + " " + event.facility + ": " + event.message
    }

    /// `Nov 21 14:35:02`, UTC.
    public static func stamp(_ time: Date) -> String {
        var seconds = time_t(time.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(months[Int(parts.tm_mon)]) \(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
