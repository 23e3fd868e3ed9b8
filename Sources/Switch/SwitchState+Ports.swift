import Console
import Dataplane

extension SwitchState {
    /// `shutdown` / `no shutdown`. Either clears err-disabled (vmcheck): the operator has
    /// looked at the port, and `no shutdown` is the way back into service.
    mutating func setPort(_ port: Int, enabled: Bool) {
        bridge[port: port].isEnabled = enabled
        errDisabled[port] = nil
    }

    /// `access-control list N` on a port: binds a defined ACL (kept ascending); bound
    /// already, no change.
    mutating func applyACL(_ number: Int, toPort port: Int) throws(CommandFailure) {
        try VirtSupport.requireACL(self, number)
        if !bridge[port: port].acls.contains(number) {
            bridge[port: port].acls = (bridge[port: port].acls + [number]).sorted()
        }
    }

    /// `no access-control list N` on a port.
    mutating func removeACL(_ number: Int, fromPort port: Int) throws(CommandFailure) {
        guard bridge[port: port].acls.contains(number) else {
            throw CommandFailure("ACL \(number) is not applied to port \(port)")
        }
        bridge[port: port].acls.removeAll { $0 == number }
    }
}
