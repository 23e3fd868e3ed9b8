import SwitchTypes

/// A VM profile (`virt vmprofile NAME`): settings several groups may share.
public struct VMProfile: Hashable, Sendable {
    /// Longest name accepted.
    public static let maximumNameLength = 32

    public let name: String
    /// The VLAN of every group using the profile (exclusive with the group's own `vlan`).
    public var vlan: UInt16?
    /// `shaping AVG BURST PEAK`: each member VM's traffic into the switch.
    public var shaping: Shaping?
    /// `eshaping AVG BURST PEAK`: each member VM's traffic out of the switch.
    public var egressShaping: Shaping?
    /// `access-control N`: ACLs applied to every member VM's traffic, ascending.
    public var acls: [Int] = []

    public init(name: String) { self.name = name }

    /// `access-control N`: applies the ACL (kept ascending); applied already, no change.
    public mutating func applyACL(_ number: Int) {
        if !acls.contains(number) { acls = (acls + [number]).sorted() }
    }

    /// `no access-control N`: returns false, changing nothing, when the ACL is not applied.
    public mutating func removeACL(_ number: Int) -> Bool {
        guard acls.contains(number) else { return false }
        acls.removeAll { $0 == number }
        return true
    }

    /// Names are 1-32 letters, digits, `-`, `_` or `.`, starting with a letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        guard (1...maximumNameLength).contains(name.count), let first = name.first,
              first.isASCII, first.isLetter || first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
