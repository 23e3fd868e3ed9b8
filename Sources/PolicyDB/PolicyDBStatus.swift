import Foundation

/// The client as `show virt policy-db` prints it: a snapshot taken without waiting for the
/// client's thread. Holds no credential.
public struct PolicyDBStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case connecting, connected, down
    }

    public var state: State
    /// Why the last attempt failed or the connection was lost.
    public var reason: String?
    /// When the current state began.
    public var since: Date
    public var schemaVersion: Int?
    /// Consecutive failed attempts since the connection was last up.
    public var retries: Int
    /// While down: when the next attempt is due.
    public var nextAttempt: Date?
    public var lastNotify: Date?
    /// Requests dropped because the queue was full.
    public var queueDrops: Int
    /// Resolutions and location queries answered (from the database or the cache).
    public var queriesAnswered: Int
    /// Statements that failed without losing the connection (timeouts).
    public var queryFailures: Int
    /// VMs whose answer is cached.
    public var cachedAnswers: Int

    public init(state: State = .connecting, reason: String? = nil, since: Date = Date(), schemaVersion: Int? = nil,
                retries: Int = 0, nextAttempt: Date? = nil, lastNotify: Date? = nil, queueDrops: Int = 0,
                queriesAnswered: Int = 0, queryFailures: Int = 0, cachedAnswers: Int = 0) {
        self.state = state
        self.reason = reason
        self.since = since
        self.schemaVersion = schemaVersion
        self.retries = retries
        self.nextAttempt = nextAttempt
        self.lastNotify = lastNotify
        self.queueDrops = queueDrops
        self.queriesAnswered = queriesAnswered
        self.queryFailures = queryFailures
        self.cachedAnswers = cachedAnswers
    }
}
