import Foundation
import Synchronization

/// Logs a burst of like events (a flood of half-open connections, a script hammering
/// `enable`) as its first event, then at most one line per interval that counts the rest:
/// the log shows that it happens and how much, and a flood cannot push out of the
/// 1,000-event ring what came before it.
public final class RepeatedEvents: Sendable {
    /// Seconds between two lines of the same kind.
    public let interval: Duration
    private let log: EventLog
    private struct Burst {
        var lastLogged: ContinuousClock.Instant
        var held = 0
        var severity: EventLog.Severity
        var facility: String
    }
    private let bursts = Mutex<[String: Burst]>([:])

    public init(log: EventLog, interval: Duration = .seconds(10)) {
        self.log = log
        self.interval = interval
    }

    /// Logs `message` unless an event of the same `kind` was logged less than an interval
    /// ago; then it is only counted, for the next line of that kind.
    /// - Parameter time: the event's time for the log line (the switch clock's, for events
    ///   that traffic causes; the interval itself is measured on the host's clock).
    public func log(_ severity: EventLog.Severity, _ facility: String, kind: String, _ message: String,
                    at time: Date = Date()) {
        let now = ContinuousClock.now
        let held: Int? = bursts.withLock { bursts in
            if var burst = bursts[kind], now - burst.lastLogged < interval {
                burst.held += 1
                bursts[kind] = burst
                return nil
            }
            let held = bursts[kind]?.held ?? 0
            bursts[kind] = Burst(lastLogged: now, severity: severity, facility: facility)
            return held
        }
        guard let held else { return }
        log.log(severity, facility, message + (held > 0 ? " (\(held) more like it before this)" : ""), at: time)
    }

    /// Logs how many events of each kind were held back and an interval has passed since
    /// the kind's last line: a flood that stopped is still counted in the log.
    /// - Returns: true while some are still held (call again after `interval`).
    @discardableResult
    public func flush() -> Bool {
        let now = ContinuousClock.now
        var due: [(String, Burst)] = []
        let waiting: Bool = bursts.withLock { bursts in
            for (kind, burst) in bursts where burst.held > 0 && now - burst.lastLogged >= interval {
                due.append((kind, burst))
                bursts[kind] = Burst(lastLogged: now, severity: burst.severity, facility: burst.facility)
            }
            bursts = bursts.filter { $0.value.held > 0 || now - $0.value.lastLogged < interval }
            return bursts.values.contains { $0.held > 0 }
        }
        for (kind, burst) in due.sorted(by: { $0.0 < $1.0 }) {
            log.log(burst.severity, burst.facility, "\(kind): \(burst.held) more in the last \(Self.seconds(interval)) s")
        }
        return waiting
    }

    /// Whole seconds of `d`, for messages.
    public static func seconds(_ d: Duration) -> Int { Int(d.components.seconds) }
}
