import Console
import Frames
import Protocols

/// DCBX's rules (`dcbx ...`). A priority belongs to one group, always; the ETS bandwidths
/// must add up to 100 only while DCBX is on, so the groups can be built one line at a time
/// and are checked once at `dcbx enable` (as the running-config replays them), and on every
/// change after that (the switch never advertises tables a peer must reject).
extension SwitchState {
    mutating func enableDCBX() throws(CommandFailure) {
        if let problem = dcbx.global.etsProblem { throw CommandFailure("\(problem): DCBX stays disabled") }
        dcbx.global.enabled = true
    }

    mutating func setPriorityGroup(_ group: UInt8, priorities: Set<UInt8>, bandwidth: UInt8) throws(CommandFailure) {
        for (other, settings) in dcbx.global.priorityGroups.sorted(by: { $0.key < $1.key }) where other != group {
            if let shared = settings.priorities.intersection(priorities).min() {
                throw CommandFailure("Priority \(shared) is already in priority group \(other)")
            }
        }
        var next = dcbx.global
        next.priorityGroups[group] = DCBXSettings.PriorityGroup(priorities: priorities, bandwidth: bandwidth)
        try requireETSWhileEnabled(next)
        dcbx.global = next
    }

    mutating func removePriorityGroup(_ group: UInt8) throws(CommandFailure) {
        var next = dcbx.global
        guard next.priorityGroups.removeValue(forKey: group) != nil else {
            throw CommandFailure("No priority group \(group)")
        }
        try requireETSWhileEnabled(next)
        dcbx.global = next
    }

    /// Adds an application priority, or changes the priority of one already there (in place,
    /// so the table keeps the order it is sent and rendered in).
    mutating func setApplication(_ entry: ApplicationPriorityEntry) throws(CommandFailure) {
        if let index = dcbx.global.applications.firstIndex(where: { $0.sameApplication(as: entry) }) {
            dcbx.global.applications[index] = entry
            return
        }
        guard dcbx.global.applications.count < ApplicationPriority.maxEntries else {
            throw CommandFailure("Too many application priorities (at most \(ApplicationPriority.maxEntries) fit in a TLV)")
        }
        dcbx.global.applications.append(entry)
    }

    mutating func removeApplication(selector: UInt8, protocolID: UInt16) throws(CommandFailure) {
        let probe = ApplicationPriorityEntry(priority: 0, selector: selector, protocolID: protocolID)
        guard let index = dcbx.global.applications.firstIndex(where: { $0.sameApplication(as: probe) }) else {
            throw CommandFailure("No application priority for \(DCBXCommands.applicationText(probe))")
        }
        dcbx.global.applications.remove(at: index)
    }

    private func requireETSWhileEnabled(_ next: DCBXSettings) throws(CommandFailure) {
        guard next.enabled, let problem = next.etsProblem else { return }
        throw CommandFailure("\(problem) (with DCBX enabled; `no dcbx enable` to change the groups one at a time)")
    }
}

extension ApplicationPriorityEntry {
    /// The same selector and protocol: one application, whatever its priority.
    func sameApplication(as other: ApplicationPriorityEntry) -> Bool {
        selector == other.selector && protocolID == other.protocolID
    }
}
