#if os(Linux)
import Foundation
import Synchronization
import VMManager

/// What VMManagerClients delivered, per host in arrival order, read by the test one event
/// at a time. Waits bound how long the test waits for an event; nothing is timed.
final class VMManagerEventLog: Sendable {
    private let events = Mutex<[String: [VMManagerEvent]]>([:])
    private let cursors = Mutex<[String: Int]>([:])

    /// The client's `deliver`.
    func record(_ event: VMManagerEvent) {
        events.withLock { $0[event.host, default: []].append(event) }
    }

    /// The next event of `host` not yet read, waiting up to `timeout` seconds; nil if none came.
    func next(_ host: String, timeout: Double) -> VMManagerEvent? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let cursor = cursors.withLock { $0[host, default: 0] }
            if let event = events.withLock({ list -> VMManagerEvent? in
                let hostEvents = list[host, default: []]
                return cursor < hostEvents.count ? hostEvents[cursor] : nil
            }) {
                cursors.withLock { $0[host] = cursor + 1 }
                return event
            }
            if Date() >= deadline { return nil }
            usleep(20_000)
        }
    }

    /// Reads `host`'s events until one `accept` takes (returned); the ones passed over are
    /// in `skipped`. Nil when none came within `timeout`.
    func next(_ host: String, timeout: Double, skipping skipped: inout [VMManagerEvent],
              until accept: (VMManagerEvent) -> Bool) -> VMManagerEvent? {
        let deadline = Date().addingTimeInterval(timeout)
        while let event = next(host, timeout: max(0, deadline.timeIntervalSinceNow)) {
            if accept(event) { return event }
            skipped.append(event)
        }
        return nil
    }

    /// Every event `host` delivered so far (read or not).
    func all(_ host: String) -> [VMManagerEvent] { events.withLock { $0[host, default: []] } }

    /// For failure messages.
    var transcript: String {
        events.withLock { list in
            list.keys.sorted().map { host in
                "--- events of \(host) ---\n" + list[host, default: []].map { "\($0)" }.joined(separator: "\n")
            }.joined(separator: "\n")
        }
    }
}
#endif
