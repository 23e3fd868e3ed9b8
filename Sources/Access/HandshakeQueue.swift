import Glibc

/// A connection accepted on the control socket that has not sent its hello yet.
struct PendingConnection {
    let fd: Int32
    /// Who connected, as the kernel says (SO_PEERCRED): what the log names.
    let uid: uid_t
    let pid: pid_t
    /// When it is closed if no hello came.
    let deadline: ContinuousClock.Instant

    /// `uid 1000 (pid 4242)`.
    var peer: String { "uid \(uid) (pid \(pid))" }
}

/// The connections waiting for their hello, owned by the accept thread: it polls them
/// together with the listening socket, so that waiting costs a descriptor, never a thread.
struct HandshakeQueue {
    /// Oldest first (so the first deadline is the nearest).
    var waiting: [PendingConnection] = []

    /// Milliseconds until the nearest deadline, for poll; -1 (forever) when none waits.
    func millisecondsToNextDeadline() -> Int32 {
        guard let first = waiting.map(\.deadline).min() else { return -1 }
        let left = first - .now
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(min(seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1, 3_600_000))
    }

    /// Takes out the connections whose deadline has passed (the caller closes them).
    mutating func removeExpired() -> [PendingConnection] {
        let now = ContinuousClock.now
        let expired = waiting.filter { $0.deadline <= now }
        waiting.removeAll { $0.deadline <= now }
        return expired
    }

    /// The server stops: every waiting connection is closed.
    mutating func closeAll() {
        for connection in waiting { close(connection.fd) }
        waiting = []
    }
}
