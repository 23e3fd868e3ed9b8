import Console
import Foundation

/// `show virt policy-db`: the policy database client's state, its cache and what the
/// switch applied from it. Only `state` is there when no database is configured or the
/// client is starting.
struct VirtPolicyDBReport: ShowReport {
    /// `not configured`, `starting`, `connecting`, `connected` or `down`.
    var state: String
    var since: Date?
    var schemaVersion: Int?
    var uri: String?
    var passwordFile: String?
    var switchID: String?
    /// While not connected: why, when the next attempt is due, and how many failed.
    var error: String?
    var nextAttempt: Date?
    var retries: Int?
    var answersCached: Int?
    var answersWithProfile: Int?
    var answersStale: Int?
    var waiting: Int?
    var appliedVMs: Int?
    /// The database profiles applied to VMs, by name.
    var appliedProfiles: [String]?
    var vsiTypes: Int?
    var lastNotify: Date?
    var badRowsSkipped: Int?
    var queriesAnswered: Int?
    var queryFailures: Int?
    var queueDrops: Int?
    /// Why database profiles that no VM uses could not be applied, one sentence each.
    var notApplied: [String]?

    init(_ sw: VMreadySwitch) {
        let (configuration, assignments, vsiTypes) = sw.state.withLock {
            ($0.policyDB, $0.policyDBAssignments, $0.policyDBVSITypes)
        }
        guard let uri = configuration.uri else { state = "not configured"; return }
        let service = sw.policyDB.state.withLock { $0 }
        guard let client = service.client, let target = service.target else { state = "starting"; return }
        let status = client.status()
        state = status.state.rawValue
        since = status.since
        schemaVersion = status.schemaVersion
        self.uri = uri
        passwordFile = configuration.passwordFile
        switchID = target.switchID
        if status.state != .connected, let reason = status.reason {
            error = reason
            nextAttempt = status.nextAttempt
            retries = status.retries
        }
        answersCached = service.cache.count
        answersWithProfile = service.cache.values.filter { $0.profile != nil }.count
        answersStale = service.cache.values.filter(\.stale).count
        waiting = service.waiting.count
        appliedVMs = assignments.count
        let profiles = Set(assignments.values.map(\.name))
        appliedProfiles = profiles.sorted()
        self.vsiTypes = vsiTypes.count
        lastNotify = service.lastNotify
        badRowsSkipped = service.badRows
        queriesAnswered = status.queriesAnswered
        queryFailures = status.queryFailures
        queueDrops = status.queueDrops
        notApplied = service.problems.sorted(by: { $0.key < $1.key }).filter { !profiles.contains($0.key) }.map(\.value)
    }

    var lines: [String] {
        guard let uri, let since, let switchID else {
            return [state == "starting" ? "Policy database: starting" : "Policy database: not configured (local profiles only)"]
        }
        var first = "Policy database: \(state) since \(EventLog.stamp(since))"
        if let schemaVersion { first += ", schema version \(schemaVersion)" }
        var out = [first]
        out.append("  uri \"\(uri)\"" + (passwordFile.map { ", password file \($0)" } ?? "") + ", switch ID \(switchID)")
        if let error {
            var line = "  error: \(error)"
            if let nextAttempt { line += "; next attempt \(EventLog.stamp(nextAttempt))" }
            let retries = retries ?? 0
            line += " (\(retries) retr\(retries == 1 ? "y" : "ies"))"
            out.append(line)
        }
        let applied = appliedVMs ?? 0, profiles = appliedProfiles ?? [], types = vsiTypes ?? 0
        out.append("  answers cached: \(answersCached ?? 0) (\(answersWithProfile ?? 0) with a profile, \(answersStale ?? 0) stale), "
                   + "waiting: \(waiting ?? 0)")
        out.append("  applied: \(applied) VM\(applied == 1 ? "" : "s") in \(profiles.count) profile\(profiles.count == 1 ? "" : "s")"
                   + (profiles.isEmpty ? "" : " (" + profiles.joined(separator: ", ") + ")")
                   + ", \(types) VSI type\(types == 1 ? "" : "s")")
        out.append("  last notify: " + (lastNotify.map(EventLog.stamp) ?? "none") + ", bad rows skipped: \(badRowsSkipped ?? 0)")
        out.append("  queries answered: \(queriesAnswered ?? 0), failed: \(queryFailures ?? 0), "
                   + "dropped (queue full): \(queueDrops ?? 0)")
        for problem in notApplied ?? [] { out.append("  not applied: \(problem)") }
        return out
    }
}
