import Dataplane
import Virtualization

extension VirtReport {
    /// `show virt summary`: how full the VM table is, what was refused or deferred, and
    /// what the groups hold — the figures an operator checks when VMs stop being detected.
    static func summary(_ s: SwitchState, vms: VMTable, learning: VMLearningFeed,
                        stations: StationTableStatistics) -> [String] {
        let statistics = vms.statistics
        let resolved = vms.resolvedCounts
        func row(_ label: String, _ value: String) -> String { pad(label, 26) + value }
        return [
            row("VMready:", s.virt.enabled ? "enabled" : "disabled"),
            row("VMs known:", "\(vms.count) of \(vms.limit) (virt vm limit)"),
            row("VMs detected:", "\(statistics.detected)"),
            row("VMs refused (table full):", "\(statistics.refused)"),
            row("Learning events handled:", "\(statistics.eventsHandled)"),
            row("Learning events deferred:", "\(learning.overflowCount) (hand-over full; retried on the next frame)"),
            row("Migrations:", "\(vms.totalMoves)"),
            row("VM groups:", "\(s.virt.groups.count), \(s.virt.memberGroups.count) members, \(resolved.groupedVMs) VMs in a group"),
            row("Station policies:", "\(resolved.policies) resolved, \(stations.count) installed of \(stations.maximum), "
                + "\(stations.refusedCount) refused (table full)"),
        ]
    }
}
