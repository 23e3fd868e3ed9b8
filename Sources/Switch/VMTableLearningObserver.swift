import Dataplane
import SwitchTypes
import Virtualization

/// Plugs the VM table into the dataplane's learning hook: the one place that knows
/// both, so the VM layer needs nothing of the forwarding engine.
///
/// Runs on the forwarding thread, once per newly learned or moved station (never
/// per frame). The event itself is a plain value of `SwitchTypes`, shared by both sides.
public final class VMTableLearningObserver: LearningObserver, Sendable {
    /// The table told of each station.
    public let vms: VMTable

    /// Wraps `vms`.
    public init(_ vms: VMTable) { self.vms = vms }

    public func stationLearned(_ event: LearningEvent) { vms.observe(event) }
}
