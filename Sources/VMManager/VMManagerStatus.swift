import Foundation

/// A hypervisor connection as `show virt vmmanager` prints it: a snapshot, taken without
/// waiting for the connection's thread.
public struct VMManagerStatus: Hashable, Sendable {
    /// The operator's name for the host, and the URI connected to.
    public var host: String
    public var uri: String
    public var state: VMManagerConnectionState
    /// The hypervisor's own hostname, as last read (kept while down).
    public var hostname: String?
    /// Why the last attempt failed or the connection was lost (libvirt's message).
    public var lastError: String?
    /// Domains in the inventory as last known (kept, stale, while down).
    public var domainCount: Int
    /// When the current connection came up; nil while not up.
    public var connectedSince: Date?
    /// The last lifecycle event, e.g. `web1 started (booted)`, and when it arrived.
    public var lastEvent: String?
    public var lastEventAt: Date?
    /// Consecutive failures since the connection was last up (losing it counts as one).
    public var reconnectAttempts: Int
    /// While down: seconds until the next attempt (0 when it is under way).
    public var retryInSeconds: Int?

    public init(host: String, uri: String, state: VMManagerConnectionState = .connecting, hostname: String? = nil,
                lastError: String? = nil, domainCount: Int = 0, connectedSince: Date? = nil, lastEvent: String? = nil,
                lastEventAt: Date? = nil, reconnectAttempts: Int = 0, retryInSeconds: Int? = nil) {
        self.host = host
        self.uri = uri
        self.state = state
        self.hostname = hostname
        self.lastError = lastError
        self.domainCount = domainCount
        self.connectedSince = connectedSince
        self.lastEvent = lastEvent
        self.lastEventAt = lastEventAt
        self.reconnectAttempts = reconnectAttempts
        self.retryInSeconds = retryInSeconds
    }
}
