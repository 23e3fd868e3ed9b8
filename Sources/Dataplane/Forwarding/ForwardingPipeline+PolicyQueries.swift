import Frames

/// What the policy path keeps, as the control side asks for it (the decision is
/// `decide`, ForwardingPipeline+Decision).
extension ForwardingPipeline {
    /// Every policy station's location and counters, by MAC.
    public func stationStatistics() -> [StationStatistics] { stations.statistics() }

    /// Hits per ACL number, for every ACL with `statistics`.
    public func aclHits() -> [Int: UInt64] { acls.hitCounts() }

    /// Zeroes the ACL hit counters.
    public func clearACLStatistics() { acls.clearHits() }

    /// The ports carrying `vlan` — by their own configuration or for the stations
    /// located on them — and those of them sending it untagged.
    public func effectiveMembership(vlan: UInt16) -> (members: Set<Int>, untagged: Set<Int>) {
        guard vlan < 4096 else { return ([], []) }
        let members = plan.members(of: vlan)
        let untagged = plan.untaggedMembers(of: vlan)
        let ports = 1...portCount
        return (Set(ports.filter { members & ForwardingPlan.bit($0) != 0 }),
                Set(ports.filter { untagged & ForwardingPlan.bit($0) != 0 }))
    }
}
