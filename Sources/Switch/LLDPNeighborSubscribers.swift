import Foundation
import Protocols
import Synchronization

/// Everyone who follows LLDP neighbours (the event log, and the subsystems that track the
/// hosts behind ports). Called on the control-plane loop's thread: a subscriber only hands
/// the event off, it never waits.
public final class LLDPNeighborSubscribers: Sendable {
    private let subscribers = Mutex<[@Sendable (LLDPAgent.NeighborEvent) -> Void]>([])

    public func subscribe(_ subscriber: @escaping @Sendable (LLDPAgent.NeighborEvent) -> Void) {
        subscribers.withLock { $0.append(subscriber) }
    }

    func publish(_ event: LLDPAgent.NeighborEvent) {
        for subscriber in subscribers.withLock({ $0 }) { subscriber(event) }
    }
}

extension LLDPAgent.NeighborEvent {
    /// A neighbour leaving is worth a warning only when it vanished (its TTL ran out): a
    /// shutdown LLDPDU or our own port going down is the expected way to go. A neighbour
    /// changing what it advertises is routine.
    var severity: EventLog.Severity {
        switch kind {
        case .removed(.agedOut): .warning
        case .changed: .info
        case .added, .removed: .notice
        }
    }

    /// Events of one kind on one port are one log line per interval at most (`RepeatedEvents`).
    var floodKind: String {
        let what = switch kind {
        case .added: "added"
        case .changed: "changed"
        case .removed: "removed"
        }
        return "lldp \(what) port \(port)"
    }

    /// `LLDP neighbor host1 (chassis 02:00:00:00:00:01, port eth0) added on port 1`.
    var logMessage: String {
        let name = neighbor.systemName.map { $0.description + " " } ?? ""
        let who = "LLDP \(agent.label) neighbor \(name)(chassis \(neighbor.chassisID), port \(neighbor.portID))"
        switch kind {
        case .added: return "\(who) added on port \(port)"
        case .changed: return "\(who) changed on port \(port)"
        case .removed(.agedOut): return "\(who) aged out on port \(port)"
        case .removed(.shutdown): return "\(who) left port \(port) (shutdown LLDPDU)"
        case .removed(.portStopped): return "\(who) removed: port \(port) stopped receiving LLDP"
        }
    }
}
