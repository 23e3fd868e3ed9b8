import Synchronization

/// The switch's lines: the local console and every connected session, by number. Line 0 is
/// the console; connected sessions get the lowest free number from 1, as vty lines do.
public final class LineTable: Sendable {
    private let lines = Mutex<[Int: SessionLine]>([:])

    public init() {}

    /// Registers the local console as `con 0`.
    public func addConsole(user: String, from: String) -> SessionLine {
        let line = SessionLine(kind: .console, number: 0, user: user, from: from)
        lines.withLock { $0[0] = line }
        return line
    }

    /// Registers a connected session on the lowest free vty number.
    public func addVTY(user: String, uid: UInt32, from: String,
                       idleLimit: @escaping @Sendable () -> Double?) -> SessionLine {
        lines.withLock { table in
            var n = 1
            while table[n] != nil { n += 1 }
            let line = SessionLine(kind: .vty, number: n, user: user, uid: uid, from: from, idleLimit: idleLimit)
            table[n] = line
            return line
        }
    }

    /// Forgets a line whose session has ended.
    public func remove(_ line: SessionLine) {
        lines.withLock { table in
            if table[line.number] === line { table[line.number] = nil }
        }
    }

    /// Every line, by number.
    public var all: [SessionLine] { lines.withLock { $0.values.sorted { $0.number < $1.number } } }

    public func line(_ number: Int) -> SessionLine? { lines.withLock { $0[number] } }

    /// Wakes every session so that it looks again at its idle limit (after `exec-timeout`).
    public func wakeAll() { for line in all { line.wake() } }
}
