import Console
import Dispatch
import Foundation
import Frames
import PolicyDB
import Synchronization

/// `show virt dc vm [MAC | NAME]`: where the policy database says VMs are, across every
/// switch of the data centre.
struct VirtDCVMReport: ShowReport {
    struct Location: Encodable {
        var mac: MACAddress
        /// Absent when the database has no name for it.
        var name: String?
        var switchID: String
        /// The port as that switch names it.
        var port: String
        var vlan: Int?
        var since: Date
    }

    var vms: [Location]
    /// The VM the command named, for the text when the database has no row.
    private var wanted: String?

    enum CodingKeys: String, CodingKey { case vms }

    /// Asks the database where VMs are, waiting at most `timeout` (the session waits; the
    /// switch does not).
    init(_ sw: VMreadySwitch, matching text: String?, timeout: Duration) throws(CommandFailure) {
        wanted = text
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
        vms = rows.sorted { ($0.switchID, $0.port, $0.mac.rawValue) < ($1.switchID, $1.port, $1.mac.rawValue) }.map { row in
            Location(mac: row.mac, name: row.name, switchID: row.switchID, port: row.port, vlan: row.vlan.map(Int.init), since: row.since)
        }
    }

    var lines: [String] {
        if vms.isEmpty { return [wanted.map { "No VM \($0) in the data centre" } ?? "No VMs in the data centre"] }
        return VMManagerReport.table(["MAC", "Name", "Switch", "Port", "VLAN", "Since"], vms.map { row in
            [row.mac.description, row.name ?? "-", row.switchID, row.port, row.vlan.map(String.init) ?? "-", EventLog.stamp(row.since)]
        })
    }
}
