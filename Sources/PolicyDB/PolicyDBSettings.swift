import SwitchTypes

/// What the switch's policy database client needs: where the database is, the password
/// file (never the password: settings end up in the running-config), and who this switch is.
public struct PolicyDBSettings: Sendable, Hashable {
    public var uri: String
    public var passwordFile: String?
    /// The switch's name in `switches` and `vm_locations` (default: the hostname).
    public var switchID: String
    public var hostname: String
    public var connectTimeoutSeconds: Int
    /// Bounds every statement: a held lock fails the query (reported) instead of stalling.
    public var statementTimeout: Duration
    /// Reconnect backoff: doubling from the first delay up to the maximum.
    public var firstRetryDelay: Duration
    public var maximumRetryDelay: Duration
    /// How often the switch's row in `switches` is touched while connected.
    public var touchInterval: Duration
    /// Requests queued beyond this are dropped (and counted): a stalled database cannot
    /// grow the switch's memory.
    public var queueLimit: Int

    public init(uri: String, passwordFile: String?, switchID: String, hostname: String,
                connectTimeoutSeconds: Int = 5, statementTimeout: Duration = .seconds(3),
                firstRetryDelay: Duration = .seconds(1), maximumRetryDelay: Duration = .seconds(30),
                touchInterval: Duration = .seconds(30), queueLimit: Int = 4096) {
        self.uri = uri
        self.passwordFile = passwordFile
        self.switchID = switchID
        self.hostname = hostname
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeout = statementTimeout
        self.firstRetryDelay = firstRetryDelay
        self.maximumRetryDelay = max(firstRetryDelay, maximumRetryDelay)
        self.touchInterval = touchInterval
        self.queueLimit = max(1, queueLimit)
    }

    /// The wait before the next attempt after `failures` consecutive failures (1 for the first).
    public func retryDelay(afterFailures failures: Int) -> Duration {
        Backoff.delay(first: firstRetryDelay, maximum: maximumRetryDelay, afterFailures: failures)
    }
}
