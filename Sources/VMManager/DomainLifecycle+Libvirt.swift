import CLibvirt

extension DomainLifecycle: CustomStringConvertible {
    /// From `virDomainEventType` and its detail. Event types without a case of their own
    /// are `.other(type)`: 1 (undefined) when an undefined domain lives on as a transient
    /// one, 7 (pmsuspended).
    init(libvirtEvent event: Int32, detail: Int32) {
        let detail = UInt32(bitPattern: detail)
        switch UInt32(bitPattern: event) {
        case VIR_DOMAIN_EVENT_DEFINED.rawValue: self = .defined
        case VIR_DOMAIN_EVENT_STARTED.rawValue:
            let start: StartDetail = switch detail {
            case VIR_DOMAIN_EVENT_STARTED_BOOTED.rawValue: .booted
            case VIR_DOMAIN_EVENT_STARTED_MIGRATED.rawValue: .migrated
            case VIR_DOMAIN_EVENT_STARTED_RESTORED.rawValue: .restored
            case VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT.rawValue: .snapshot
            case VIR_DOMAIN_EVENT_STARTED_WAKEUP.rawValue: .wakeup
            default: .other
            }
            self = .started(start)
        case VIR_DOMAIN_EVENT_SUSPENDED.rawValue: self = .suspended
        case VIR_DOMAIN_EVENT_RESUMED.rawValue: self = .resumed
        case VIR_DOMAIN_EVENT_STOPPED.rawValue:
            let stop: StopDetail = switch detail {
            case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN.rawValue: .shutdown
            case VIR_DOMAIN_EVENT_STOPPED_DESTROYED.rawValue: .destroyed
            case VIR_DOMAIN_EVENT_STOPPED_CRASHED.rawValue: .crashed
            case VIR_DOMAIN_EVENT_STOPPED_MIGRATED.rawValue: .migrated
            case VIR_DOMAIN_EVENT_STOPPED_SAVED.rawValue: .saved
            case VIR_DOMAIN_EVENT_STOPPED_FAILED.rawValue: .failed
            case VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT.rawValue: .snapshot
            default: .other
            }
            self = .stopped(stop)
        case VIR_DOMAIN_EVENT_SHUTDOWN.rawValue: self = .shutdown
        case VIR_DOMAIN_EVENT_CRASHED.rawValue: self = .crashed
        default: self = .other(event)
        }
    }

    /// `started (restored)`, `stopped (saved)`, `defined`: for `show virt vmmanager`.
    public var description: String {
        switch self {
        case .defined: "defined"
        case .started(let detail): "started (\(detail.rawValue))"
        case .suspended: "suspended"
        case .resumed: "resumed"
        case .stopped(let detail): "stopped (\(detail.rawValue))"
        case .shutdown: "shutting down"
        case .crashed: "crashed"
        case .other(let type): "event \(type)"
        }
    }
}
