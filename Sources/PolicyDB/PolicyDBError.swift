/// Everything that can go wrong between the switch (or `vmready policy`) and the policy
/// database, as one line an operator can act on. No case ever carries the password.
public enum PolicyDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot be used as given (a password in the URI, a bad URI).
    case settings(String)
    /// The password file is missing or unreadable.
    case passwordFile(path: String, reason: String)
    /// The server could not be reached or refused the login.
    case connect(String)
    /// The connection broke during a statement; the caller reconnects.
    case connectionLost(String)
    /// A statement ran longer than the statement timeout (a lock held, a slow server).
    case timeout(String)
    /// The server refused a statement (SQLSTATE given when the server sent one).
    case statement(String, sqlState: String?)
    /// The database's schema is newer than this program knows.
    case futureSchema(database: Int, known: Int)
    /// A value given by the caller is not valid (a name, a VLAN, a document entry).
    case invalid(String)
    /// What the caller names does not exist (a profile to remove, an assignment).
    case notFound(String)
    /// The client is not connected (its reason); the caller keeps its stale answer.
    case down(String)

    public var description: String {
        switch self {
        case .settings(let why): why
        case .passwordFile(let path, let reason): "cannot read password file \(path): \(reason)"
        case .connect(let why): "cannot connect to the policy database: \(why)"
        case .connectionLost(let why): "connection to the policy database lost: \(why)"
        case .timeout(let why): "policy database statement timed out: \(why)"
        case .statement(let why, let state): state.map { "policy database error \($0): \(why)" } ?? "policy database error: \(why)"
        case .futureSchema(let database, let known):
            "the policy database has schema version \(database), newer than this vmready knows (\(known)): upgrade vmready"
        case .invalid(let why): why
        case .notFound(let why): why
        case .down(let why): "policy database down: \(why)"
        }
    }

    /// True when the connection itself is gone (reconnect), false when only one statement failed.
    public var isConnectionFailure: Bool {
        switch self {
        case .connect, .connectionLost: true
        default: false
        }
    }
}

/// A row an operator wrote that the client cannot use: which table, which key, why. Reads
/// return these beside the usable rows (CheckedRows): skipped, reported, never half applied.
public struct BadRow: Error, Sendable, Hashable, CustomStringConvertible {
    public let table: String
    public let key: String
    public let reason: String

    public init(table: String, key: String, reason: String) {
        self.table = table
        self.key = key
        self.reason = reason
    }

    public var description: String { "bad row in \(table) (\(key)) skipped: \(reason)" }
}
