import Console
import Dispatch
import Foundation
import Frames
import PolicyDB
import Synchronization

/// The text of `show virt policy-db` and `show virt dc vm`.
enum PolicyDBReport {
    static func status(_ sw: VMreadySwitch) -> [String] {
        let (configuration, assignments, vsiTypes) = sw.state.withLock {
            ($0.policyDB, $0.policyDBAssignments, $0.policyDBVSITypes)
        }
        guard let uri = configuration.uri else {
            return ["Policy database: not configured (local profiles only)"]
        }
        let service = sw.policyDB.state.withLock { $0 }
        guard let client = service.client, let target = service.target else {
            return ["Policy database: starting"]
        }
        let status = client.status()
        var first = "Policy database: \(status.state.rawValue) since \(EventLog.stamp(status.since))"
        if let version = status.schemaVersion { first += ", schema version \(version)" }
        var out = [first]
        out.append("  uri \"\(uri)\"" + (configuration.passwordFile.map { ", password file \($0)" } ?? "")
                   + ", switch ID \(target.switchID)")
        if status.state != .connected, let reason = status.reason {
            var line = "  error: \(reason)"
            if let next = status.nextAttempt { line += "; next attempt \(EventLog.stamp(next))" }
            line += " (\(status.retries) retr\(status.retries == 1 ? "y" : "ies"))"
            out.append(line)
        }
        let withProfile = service.cache.values.filter { $0.profile != nil }.count
        let stale = service.cache.values.filter(\.stale).count
        let profiles = Set(assignments.values.map(\.name))
        out.append("  answers cached: \(service.cache.count) (\(withProfile) with a profile, \(stale) stale), "
                   + "waiting: \(service.waiting.count)")
        out.append("  applied: \(assignments.count) VM\(assignments.count == 1 ? "" : "s") in \(profiles.count) profile\(profiles.count == 1 ? "" : "s")"
                   + (profiles.isEmpty ? "" : " (" + profiles.sorted().joined(separator: ", ") + ")")
                   + ", \(vsiTypes.count) VSI type\(vsiTypes.count == 1 ? "" : "s")")
        out.append("  last notify: " + (service.lastNotify.map(EventLog.stamp) ?? "none")
                   + ", bad rows skipped: \(service.badRows)")
        out.append("  queries answered: \(status.queriesAnswered), failed: \(status.queryFailures), "
                   + "dropped (queue full): \(status.queueDrops)")
        for (name, problem) in service.problems.sorted(by: { $0.key < $1.key }) where profiles.contains(name) == false {
            out.append("  not applied: \(problem)")
        }
        return out
    }

    /// Asks the database where VMs are, waiting at most `timeout` (the session waits; the
    /// switch does not).
    static func locations(_ sw: VMreadySwitch, matching text: String?, timeout: Duration) throws(CommandFailure) -> [String] {
        var key: VMKey?
        if let text {
            guard let parsed = VMKey(parsing: text) else { throw CommandFailure("Invalid VM: give a MAC address or a VM name") }
            key = parsed
        }
        let answer = Mutex<Result<[VMLocation], PolicyDBError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let asked: Bool? = sw.policyDB.withClient { client in
            client.query(locations: key) { result in
                answer.withLock { $0 = result }
                done.signal()
            }
            return true
        }
        guard asked != nil else { throw CommandFailure("No policy database is configured (virt policy-db uri)") }
        let (seconds, attoseconds) = timeout.components
        let deadline = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        guard done.wait(timeout: deadline) == .success, let result = answer.withLock({ $0 }) else {
            throw CommandFailure("The policy database did not answer within \(seconds) s")
        }
        let rows: [VMLocation]
        switch result {
        case .success(let found): rows = found
        case .failure(let error): throw CommandFailure("Policy database: \(error)")
        }
        if rows.isEmpty { return [text.map { "No VM \($0) in the data centre" } ?? "No VMs in the data centre"] }
        let sorted = rows.sorted { ($0.switchID, $0.port, $0.mac.rawValue) < ($1.switchID, $1.port, $1.mac.rawValue) }
        return VMManagerReport.table(["MAC", "Name", "Switch", "Port", "VLAN", "Since"], sorted.map { row in
            [row.mac.description, row.name ?? "-", row.switchID, row.port, row.vlan.map(String.init) ?? "-",
             EventLog.stamp(row.since)]
        })
    }
}
