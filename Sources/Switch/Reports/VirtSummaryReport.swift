import Console
import Dataplane
import Virtualization

/// `show virt summary`: how full the VM table is, what was refused or deferred, and what
/// the groups hold — the figures an operator checks when VMs stop being detected.
struct VirtSummaryReport: ShowReport {
    var vmreadyEnabled: Bool
    var vmsKnown: Int
    var vmLimit: Int
    var vmsDetected: Int
    var vmsRefused: Int
    var learningEventsHandled: Int
    var learningEventsDeferred: Int
    var migrations: Int
    var vmGroups: Int
    var vmGroupMembers: Int
    var vmsInAGroup: Int
    var stationPoliciesResolved: Int
    var stationPoliciesInstalled: Int
    var stationPolicyCapacity: Int
    var stationPoliciesRefused: UInt64

    init(_ s: SwitchState, vms: VMTable, learning: VMLearningFeed, stations: StationTableStatistics) {
        let statistics = vms.statistics
        let resolved = vms.resolvedCounts
        vmreadyEnabled = s.virt.enabled
        vmsKnown = vms.count
        vmLimit = vms.limit
        vmsDetected = statistics.detected
        vmsRefused = statistics.refused
        learningEventsHandled = statistics.eventsHandled
        learningEventsDeferred = learning.overflowCount
        migrations = vms.totalMoves
        vmGroups = s.virt.groups.count
        vmGroupMembers = s.virt.memberGroups.count
        vmsInAGroup = resolved.groupedVMs
        stationPoliciesResolved = resolved.policies
        stationPoliciesInstalled = stations.count
        stationPolicyCapacity = stations.maximum
        stationPoliciesRefused = stations.refusedCount
    }

    var lines: [String] {
        func row(_ label: String, _ value: String) -> String { pad(label, 26) + value }
        return [
            row("VMready:", vmreadyEnabled ? "enabled" : "disabled"),
            row("VMs known:", "\(vmsKnown) of \(vmLimit) (virt vm limit)"),
            row("VMs detected:", "\(vmsDetected)"),
            row("VMs refused (table full):", "\(vmsRefused)"),
            row("Learning events handled:", "\(learningEventsHandled)"),
            row("Learning events deferred:", "\(learningEventsDeferred) (hand-over full; retried on the next frame)"),
            row("Migrations:", "\(migrations)"),
            row("VM groups:", "\(vmGroups), \(vmGroupMembers) members, \(vmsInAGroup) VMs in a group"),
            row("Station policies:", "\(stationPoliciesResolved) resolved, \(stationPoliciesInstalled) installed of \(stationPolicyCapacity), "
                + "\(stationPoliciesRefused) refused (table full)"),
        ]
    }
}
