import CommandEngine
import Console
import Dataplane

extension SwitchState {
    /// `no access-control list N`: refused while a port or a VM profile uses the ACL (it
    /// would silently stop filtering there), so nothing ever names an ACL that is gone.
    mutating func deleteACL(_ number: Int) throws(CommandFailure) {
        guard bridge.acls[number] != nil else { throw CommandFailure("ACL \(number) is not defined") }
        let ports = bridgePorts(applying: number)
        guard ports.isEmpty else {
            throw CommandFailure("ACL \(number) is applied to port \(BridgePortListFormat.string(ports))")
        }
        if let profile = virt.profiles.values.map(\.name).sorted()
            .first(where: { virt.profiles[$0]?.acls.contains(number) == true }) {
            throw CommandFailure("ACL \(number) is used by VM profile \(profile)")
        }
        bridge.acls[number] = nil
    }
}
