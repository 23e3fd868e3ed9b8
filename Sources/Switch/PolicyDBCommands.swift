import CommandEngine
import Console
import Foundation
import Frames
import PolicyDB
import RunningConfig

/// `virt policy-db ...` and what it shows (policy-db.md). The connection, the cache and the
/// answers are `PolicyDBService`'s.
enum PolicyDBCommands: SwitchFeature {
    /// How long `show virt dc vm` waits for the database before saying it did not answer:
    /// the session waits, never the switch (no lock is held meanwhile).
    static let queryTimeout: Duration = .seconds(5)

    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.policydbUri) { args, _ throws(CommandFailure) in
            let uri = args.dburi
            if let problem = PolicyDBConfiguration.problem(uri: uri) { throw CommandFailure(problem) }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.policyDB.uri = uri }
        }
        t.on(.policydbPasswordFile) { args, _ throws(CommandFailure) in
            let path = args.passfile
            if let problem = PolicyDBConfiguration.problem(passwordFile: path) { throw CommandFailure(problem) }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.policyDB.passwordFile = path }
        }
        t.on(.policydbPasswordFileRemove) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.policyDB.passwordFile = nil }
        }
        t.on(.policydbSwitchId) { args, _ throws(CommandFailure) in
            let id = args.id
            guard PolicyDBConfiguration.isValid(switchID: id) else {
                throw CommandFailure("Invalid switch ID: 1-64 letters, digits, '-', '_' or '.'")
            }
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.policyDB.switchID = id }
        }
        t.on(.policydbSwitchIdRemove) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.policyDB.switchID = nil }
        }
        t.on(.policydbRemove) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
                guard !s.policyDB.isEmpty else { throw CommandFailure("No policy database is configured") }
                s.policyDB = PolicyDBConfiguration()
            }
        }
        t.on(.showVirtPolicydb) { _, ctx throws(CommandFailure) in
            sw.policyDB.drain()
            ctx.show(VirtPolicyDBReport(sw))
        }
        t.on(.showVirtDcVM) { args, ctx throws(CommandFailure) in
            ctx.show(try VirtDCVMReport(sw, matching: args.vm, timeout: queryTimeout))
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        // The URI last: a session replaying these lines one by one then connects once, as
        // the switch it is and with its password, not first under the hostname.
        var lines: [String] = []
        if let id = s.policyDB.switchID { lines.append("virt policy-db switch-id \(id)") }
        if let path = s.policyDB.passwordFile { lines.append("virt policy-db password-file " + ConfigText.quoted(path)) }
        if let uri = s.policyDB.uri { lines.append("virt policy-db uri " + ConfigText.quoted(uri)) }
        return lines.isEmpty ? [] : [ConfigStanza(section: .virt, key: 6, lines: lines)]
    }
}
