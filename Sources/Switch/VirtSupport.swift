import CommandEngine
import Console
import Dataplane
import SwitchTypes
import Frames
import Virtualization

/// What the VMready handlers share: turning refusals into `% ...` messages, reading a
/// VM reference from the arguments, checking ports and VLANs inside the locked change.
enum VirtSupport {
    /// Runs a VMready configuration edit, turning its refusal into the CLI's message.
    static func virt<T>(_ body: () throws(VirtError) -> T) throws(CommandFailure) -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Applies one edit of the VMready configuration to `sw`'s state, turning its
    /// refusal into the CLI's message (and changing nothing).
    static func configure(_ sw: VMreadySwitch,
                          _ edit: (inout VirtConfiguration) throws(VirtError) -> Void) throws(CommandFailure) {
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            try virt { () throws(VirtError) in try edit(&s.virt) }
        }
    }

    /// The VM the command names: the grammar's `(MAC:mac|<0-2147483647>:index|A.B.C.D:ip|STRING:name)`,
    /// one of which is given (a name as `VMNameSyntax` reads it).
    static func reference(mac: MACAddress?, index: Int?, ip: IPv4Address?, name: String? = nil) throws(CommandFailure) -> VMReference? {
        if let mac { return .mac(mac) }
        if let index { return .index(index) }
        if let ip { return .ip(ip) }
        if let name { return try VMNameSyntax.reference(name) }
        return nil
    }

    /// The ports named, each checked to exist.
    static func ports(_ sw: VMreadySwitch, _ ports: [BridgePort]?) throws(CommandFailure) -> Set<Int> {
        Set(try InterfaceCommands.validPorts(sw, ports ?? []))
    }

    /// Checked inside the change, under the lock: another session may delete the ACL.
    static func requireACL(_ s: SwitchState, _ number: Int) throws(CommandFailure) {
        guard s.bridge.acls[number] != nil else { throw CommandFailure("ACL \(number) is not defined") }
    }

    /// `1-4,7`.
    static func portList(_ ports: Set<Int>) -> String { PortListFormat.string(ports.sorted()) }

    /// A rate in kbit/s must be a multiple of 64 (the hardware's granularity in isCLI).
    static func requireRate(_ rate: Int) throws(CommandFailure) {
        guard rate % 64 == 0 else { throw CommandFailure("Rate \(rate) is not a multiple of 64 kbit/s") }
    }
}
