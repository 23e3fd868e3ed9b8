import Dataplane
import Frames

/// A MAC the advanced VM check's `acl` action blocks on one port (the spoofer's), leaving
/// the real VM on its real port untouched: a deny rule on the source MAC, in the ACL
/// numbers the switch keeps for itself (`ACLRule.managedRange`), applied to that port only.
struct VMCheckBlock: Hashable, Sendable {
    let port: Int
    let mac: MACAddress
}

extension SwitchState {
    /// Lays the blocks over the published configuration: block N is ACL 257+N on its port.
    /// An operator's ACL on the same port is evaluated first (lower numbers), so an
    /// explicit permit there wins: the operator's word over the switch's suspicion.
    func applyVMCheckBlocks(_ effective: inout BridgeConfiguration) {
        for (offset, block) in vmcheckBlocks.enumerated() where effective.isValidPort(block.port) {
            let number = ACLRule.managedRange.lowerBound + offset
            guard ACLRule.managedRange.contains(number) else { break }
            var rule = ACLRule()
            rule.sourceMAC = MACMatch(address: block.mac, mask: .broadcast)
            rule.action = .deny
            effective.acls[number] = rule
            effective[port: block.port].acls.append(number)
        }
    }
}
