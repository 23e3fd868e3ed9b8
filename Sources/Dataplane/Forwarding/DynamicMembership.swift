/// VLAN membership that follows stations: how many located stations need each
/// (VLAN, port), split into those that want the VLAN untagged and those that tag
/// it themselves, written into the plan's dynamic masks whenever a count goes
/// from 0 to 1 or back. A port stays a member while any station needs it.
///
/// Built with the station table (when the policies change), for the VLANs its
/// policies name only, so the counts cost `VLANs × ports`, not `4094 × ports`.
/// Counting allocates nothing: a migration on the forwarding thread is a few
/// array updates and one plan word per mask.
///
/// When both kinds share a port the VLAN egresses untagged there: a station that
/// expects untagged frames cannot read tagged ones, and a port's own
/// configuration always wins (see `ForwardingPlan`).
final class DynamicMembership {
    let portCount: Int
    private let plan: ForwardingPlan
    /// Per VID: 1 + its dense index, 0 = no policy names it.
    private let denseIndex: UnsafeMutablePointer<UInt16>
    /// The VLANs with counts, by dense index.
    private let vlans: [UInt16]
    /// Per (dense VLAN, port): stations needing the port, and of them those wanting it untagged.
    private let total: UnsafeMutablePointer<UInt32>
    private let untagged: UnsafeMutablePointer<UInt32>

    /// Empty counts for `vlans` (distinct, 1...4094). The plan's dynamic masks
    /// for them are cleared: the counts start from no station.
    init(vlans: [UInt16], portCount: Int, plan: ForwardingPlan) {
        self.portCount = portCount
        self.plan = plan
        self.vlans = vlans
        denseIndex = .allocate(capacity: 4096)
        denseIndex.initialize(repeating: 0, count: 4096)
        for (index, vlan) in vlans.enumerated() { denseIndex[Int(vlan)] = UInt16(index + 1) }
        let cells = max(1, vlans.count * (portCount + 1))
        total = .allocate(capacity: cells)
        total.initialize(repeating: 0, count: cells)
        untagged = .allocate(capacity: cells)
        untagged.initialize(repeating: 0, count: cells)
        for vlan in vlans { plan.setDynamic(vlan: vlan, members: 0, untagged: 0) }
    }

    deinit {
        denseIndex.deallocate()
        total.deallocate()
        untagged.deallocate()
    }

    /// Removes all of this membership from the plan (the table is being replaced).
    func withdraw() {
        for vlan in vlans { plan.setDynamic(vlan: vlan, members: 0, untagged: 0) }
        total.update(repeating: 0, count: max(1, vlans.count * (portCount + 1)))
        untagged.update(repeating: 0, count: max(1, vlans.count * (portCount + 1)))
    }

    /// One more station on `port` needs `vlan`.
    func add(vlan: UInt16, port: Int, untagged wantsUntagged: Bool) {
        let dense = Int(denseIndex[Int(vlan)])
        guard dense != 0 else { return }
        let cell = (dense - 1) * (portCount + 1) + port
        total[cell] += 1
        if wantsUntagged { untagged[cell] += 1 }
        if total[cell] == 1 || (wantsUntagged && untagged[cell] == 1) { update(vlan: vlan, port: port, cell: cell) }
    }

    /// One station fewer on `port` needs `vlan`.
    func remove(vlan: UInt16, port: Int, untagged wantsUntagged: Bool) {
        let dense = Int(denseIndex[Int(vlan)])
        guard dense != 0 else { return }
        let cell = (dense - 1) * (portCount + 1) + port
        guard total[cell] > 0 else { return }
        total[cell] -= 1
        if wantsUntagged, untagged[cell] > 0 { untagged[cell] -= 1 }
        if total[cell] == 0 || (wantsUntagged && untagged[cell] == 0) { update(vlan: vlan, port: port, cell: cell) }
    }

    /// Rewrites `port`'s bits of `vlan`'s dynamic masks from its counts.
    private func update(vlan: UInt16, port: Int, cell: Int) {
        let bit = ForwardingPlan.bit(port)
        var (members, untaggedMembers) = plan.dynamicMembership(of: vlan)
        members = total[cell] > 0 ? members | bit : members & ~bit
        untaggedMembers = untagged[cell] > 0 ? untaggedMembers | bit : untaggedMembers & ~bit
        plan.setDynamic(vlan: vlan, members: members, untagged: untaggedMembers)
    }
}
