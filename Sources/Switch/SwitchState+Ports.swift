import Console
import Dataplane
import SwitchTypes

extension SwitchState {
    /// `shutdown` / `no shutdown`. Either clears err-disabled (vmcheck): the operator has
    /// looked at the port, and `no shutdown` is the way back into service.
    mutating func setPort(_ port: Int, enabled: Bool) {
        bridge[port: port].isEnabled = enabled
        errDisabled[port] = nil
    }

    /// `access-control list N` on a port or vNIC: binds a defined ACL (kept ascending);
    /// bound already, no change.
    mutating func applyACL(_ number: Int, toPort port: BridgePort) throws(CommandFailure) {
        try VirtSupport.requireACL(self, number)
        try editSwitchport(port) { p throws(CommandFailure) in
            if !p.acls.contains(number) { p.acls = (p.acls + [number]).sorted() }
        }
    }

    /// `no access-control list N` on a port or vNIC.
    mutating func removeACL(_ number: Int, fromPort port: BridgePort) throws(CommandFailure) {
        try editSwitchport(port) { p throws(CommandFailure) in
            guard p.acls.contains(number) else { throw CommandFailure("ACL \(number) is not applied to port \(port)") }
            p.acls.removeAll { $0 == number }
        }
    }
}
