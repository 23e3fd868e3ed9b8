/// What a hypervisor connection reports, in order, on the connection's own thread. The
/// receiver must only hand it off (it is never called on the forwarding thread, and a
/// slow receiver delays that host's next event, nobody else's).
public enum VMManagerEvent: Hashable, Sendable {
    /// Connected (or reconnected): the host's hostname and its whole inventory, which
    /// replaces whatever was known of the host.
    case connected(host: String, hostname: String, domains: [DomainRecord])
    /// The connection failed or was lost; the receiver keeps the last inventory, stale.
    /// The client retries after `retryInSeconds`.
    case disconnected(host: String, reason: String, retryInSeconds: Int)
    /// A lifecycle event, with the domain as re-read after it (state, name, MACs). A
    /// transient domain is gone once it stops: then the last known record with state
    /// `shutOff`, followed by `.undefined`.
    case domain(host: String, lifecycle: DomainLifecycle, domain: DomainRecord)
    /// The domain is gone from the host (undefined).
    case undefined(host: String, uuid: String, name: String)
    /// Something the host sent that was skipped (malformed XML, an odd MAC): for the log.
    case skipped(host: String, reason: String)
}

/// `virDomainEventType` with its detail where the switch acts on it.
public enum DomainLifecycle: Hashable, Sendable {
    case defined
    case started(StartDetail)
    case suspended
    case resumed
    case stopped(StopDetail)
    case shutdown
    case crashed
    /// Another `virDomainEventType`: 1 (undefined) when an undefined domain still runs,
    /// now transient (a domain that is gone is `VMManagerEvent.undefined` instead); 7
    /// (pmsuspended).
    case other(Int32)

    public enum StartDetail: String, Hashable, Sendable { case booted, migrated, restored, snapshot, wakeup, other }
    public enum StopDetail: String, Hashable, Sendable { case shutdown, destroyed, crashed, migrated, saved, failed, snapshot, other }

    /// The domain arrives on the host: where its policy goes before its first frame.
    public var isArrival: Bool {
        switch self {
        case .started, .resumed: true
        default: false
        }
    }

    /// The domain leaves the host.
    public var isDeparture: Bool {
        switch self {
        case .stopped, .crashed, .shutdown: true
        default: false
        }
    }
}

/// A connection's state, as `show virt vmmanager` prints it.
public enum VMManagerConnectionState: String, Hashable, Sendable {
    /// Not yet connected, connecting.
    case connecting
    case up
    /// Failed or lost; retrying with backoff.
    case down
}

extension VMManagerEvent {
    /// The operator's name of the host the event is about.
    public var host: String {
        switch self {
        case .connected(let host, _, _), .disconnected(let host, _, _), .domain(let host, _, _),
             .undefined(let host, _, _), .skipped(let host, _):
            host
        }
    }
}
