import SwitchTypes

/// How a hypervisor connection waits: the reconnect backoff (doubling from `initialSeconds`
/// up to `maximumSeconds`) and libvirt's keepalive, which notices a peer that stopped
/// answering within about `keepaliveInterval × (keepaliveCount + 1)` seconds.
public struct VMManagerRetry: Hashable, Sendable {
    public var initialSeconds: Int
    public var maximumSeconds: Int
    /// Seconds between keepalive probes while the peer is silent.
    public var keepaliveInterval: Int
    /// Unanswered probes after which the connection is closed.
    public var keepaliveCount: Int

    /// Values below one are raised to one; a maximum below the initial delay is raised to it.
    public init(initialSeconds: Int, maximumSeconds: Int, keepaliveInterval: Int = 3, keepaliveCount: Int = 2) {
        self.initialSeconds = max(1, initialSeconds)
        self.maximumSeconds = max(self.initialSeconds, maximumSeconds)
        self.keepaliveInterval = max(1, keepaliveInterval)
        self.keepaliveCount = max(1, keepaliveCount)
    }

    /// 1 s doubling to 30 s; a silent peer is noticed within about 9 s.
    public static let standard = VMManagerRetry(initialSeconds: 1, maximumSeconds: 30)

    /// The wait before the next attempt after `failures` consecutive failed ones (1 for the first).
    public func delay(afterFailures failures: Int) -> Int {
        Int(Backoff.delay(first: .seconds(initialSeconds), maximum: .seconds(maximumSeconds), afterFailures: failures)
            .components.seconds)
    }

    /// The bound on noticing a silent peer, in seconds.
    public var silentPeerBound: Int { keepaliveInterval * (keepaliveCount + 1) }
}
