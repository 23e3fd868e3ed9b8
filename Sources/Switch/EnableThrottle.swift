import Synchronization

/// Slows down guessing the enable secret: after a failed `enable` the same uid must wait
/// 1 s, then 2, 4, ... up to 30 s, before a secret is checked again; an attempt during the
/// wait is refused unchecked and counts as a failure. Kept in the switch per uid (the
/// kernel's, from SO_PEERCRED), so reconnecting does not start over; a success resets it.
/// The wait is a refusal, never a sleep: no session thread, no lock and never the
/// forwarding thread is held by it.
public final class EnableThrottle: Sendable {
    public static let firstDelay: Duration = .seconds(1)
    public static let maximumDelay: Duration = .seconds(30)
    /// Failures older than this are forgotten: yesterday's typo does not cost 30 s today.
    public static let memory: Duration = .seconds(15 * 60)

    private struct Record {
        var failures = 0
        var blockedUntil: ContinuousClock.Instant
        var lastFailure: ContinuousClock.Instant
    }
    private let records = Mutex<[UInt32: Record]>([:])

    public init() {}

    /// The delay after `failures` consecutive failures: 1 s doubling, capped.
    static func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        let doublings = min(failures - 1, 16)
        return min(firstDelay * (1 << doublings), maximumDelay)
    }

    /// How long `uid` must still wait before a secret is checked; nil when it may try now.
    public func remaining(for uid: UInt32) -> Duration? {
        let now = ContinuousClock.now
        return records.withLock { records in
            guard let record = records[uid], record.blockedUntil > now else { return nil }
            return record.blockedUntil - now
        }
    }

    /// Counts a failure (a bad secret, or an attempt refused during the wait) and starts
    /// the next wait. - Returns: the new wait and the number of consecutive failures.
    @discardableResult
    public func failed(_ uid: UInt32) -> (delay: Duration, failures: Int) {
        let now = ContinuousClock.now
        return records.withLock { records in
            var record = records[uid] ?? Record(blockedUntil: now, lastFailure: now)
            if now - record.lastFailure > Self.memory { record.failures = 0 }
            record.failures += 1
            record.lastFailure = now
            let delay = Self.delay(afterFailures: record.failures)
            record.blockedUntil = now + delay
            records[uid] = record
            return (delay, record.failures)
        }
    }

    /// The right secret: the next failure waits 1 s again.
    public func succeeded(_ uid: UInt32) {
        _ = records.withLock { $0.removeValue(forKey: uid) }
    }

    /// Whole seconds, rounded up, for messages (`wait 2 s`, never `wait 0 s`).
    public static func seconds(_ d: Duration) -> Int {
        let (s, atto) = d.components
        return Int(s) + (atto > 0 ? 1 : 0)
    }
}
