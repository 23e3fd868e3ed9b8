import SwitchTypes

/// A VM profile as the data centre defines it: the VLAN, whether it is tagged towards the
/// VM, ingress and egress shaping, and the ACL rule numbers applied to the VM's traffic.
public struct PolicyProfile: Sendable, Hashable {
    public var name: String
    public var vlan: UInt16
    public var tagged: Bool
    public var shaping: Shaping?
    public var egressShaping: Shaping?
    public var acls: [Int]

    public static let vlanRange = 1...4094
    public static let aclRange = 1...256

    public init(name: String, vlan: UInt16, tagged: Bool = false, shaping: Shaping? = nil,
                egressShaping: Shaping? = nil, acls: [Int] = []) {
        self.name = name
        self.vlan = vlan
        self.tagged = tagged
        self.shaping = shaping
        self.egressShaping = egressShaping
        self.acls = acls
    }

    /// Why the profile cannot be applied, or nil. The database holds whatever operators
    /// wrote, so every profile read is checked with this before it is used.
    public func validate() -> String? {
        if let problem = PolicyNames.problem(name, what: "profile name") { return problem }
        if !Self.vlanRange.contains(Int(vlan)) { return "VLAN \(vlan) is not 1-4094" }
        if let shaping, let problem = Self.problem(shaping) { return "shaping: \(problem)" }
        if let egressShaping, let problem = Self.problem(egressShaping) { return "eshaping: \(problem)" }
        if let acl = acls.first(where: { !Self.aclRange.contains($0) }) { return "ACL \(acl) is not 1-256" }
        if Set(acls).count != acls.count { return "an ACL is listed twice" }
        return nil
    }

    /// Why `shaping` is out of the switch's ranges, or nil.
    public static func problem(_ shaping: Shaping) -> String? {
        if !Shaping.rateRange.contains(shaping.averageKbps) { return "average \(shaping.averageKbps) kbit/s is not 64-10000000" }
        if !Shaping.burstRange.contains(shaping.burstKBytes) { return "burst \(shaping.burstKBytes) kbytes is not 1-4096" }
        if !Shaping.rateRange.contains(shaping.peakKbps) { return "peak \(shaping.peakKbps) kbit/s is not 64-10000000" }
        if shaping.peakKbps < shaping.averageKbps { return "peak \(shaping.peakKbps) kbit/s is below average \(shaping.averageKbps)" }
        return nil
    }
}
