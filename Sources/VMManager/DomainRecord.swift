import Frames

/// One libvirt domain as the switch needs it: what names it, whether it runs, and the MACs
/// of its interfaces (from the domain XML).
public struct DomainRecord: Hashable, Sendable {
    /// Canonical lower-case UUID text, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    public var uuid: String
    public var name: String
    public var state: DomainState
    /// Interface MACs in the XML's order, without duplicates.
    public var macs: [MACAddress]

    public init(uuid: String, name: String, state: DomainState, macs: [MACAddress]) {
        self.uuid = uuid
        self.name = name
        self.state = state
        self.macs = macs
    }
}

/// `virDomainState`, as `show virt vmmanager vms` prints it.
public enum DomainState: String, Hashable, Sendable, CaseIterable {
    case noState = "nostate"
    case running
    case blocked
    case paused
    case shuttingDown = "shutdown"
    case shutOff = "shutoff"
    case crashed
    case suspended = "pmsuspended"

    /// The domain holds its place on the host: its MACs may be seen behind the host's port.
    /// A paused domain is still there (a migration's source pauses before it stops).
    public var isActive: Bool {
        switch self {
        case .running, .blocked, .paused, .shuttingDown: true
        case .noState, .shutOff, .crashed, .suspended: false
        }
    }
}
