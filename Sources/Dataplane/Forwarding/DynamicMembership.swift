/// VLAN membership that follows stations: how many located stations need each
/// (VLAN, port), split into those that want the VLAN untagged and those that tag
/// it themselves, written into the plan's dynamic masks whenever a count goes
/// from 0 to 1 or back. A port stays a member while any station needs it.
///
/// Counts exist only for the VLANs the stations' policies name, so they cost
/// `VLANs × ports`, not `4094 × ports`. A VLAN is added (`include`) when a
/// policy first names it — on a policy update, never by a frame — by appending
/// its counts (the storage doubles when full); it keeps them until the table is
/// rebuilt. Counting allocates nothing: a migration on the forwarding thread is
/// a few array updates and one plan word per mask.
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
    private(set) var vlans: [UInt16] = []
    /// VLANs the count storage has room for.
    private var vlanCapacity = 0
    /// Per (dense VLAN, port): stations needing the port, and of them those wanting it untagged.
    private var total: UnsafeMutablePointer<UInt32>
    private var untagged: UnsafeMutablePointer<UInt32>

    /// Empty counts for `vlans` (1...4094). The plan's dynamic masks for them are
    /// cleared: the counts start from no station.
    init(vlans: some Sequence<UInt16>, portCount: Int, plan: ForwardingPlan) {
        self.portCount = portCount
        self.plan = plan
        denseIndex = .allocate(capacity: 4096)
        denseIndex.initialize(repeating: 0, count: 4096)
        total = .allocate(capacity: 1)
        untagged = .allocate(capacity: 1)
        for vlan in vlans { include(vlan) }
    }

    deinit {
        denseIndex.deallocate()
        total.deallocate()
        untagged.deallocate()
    }

    private var cellsPerVLAN: Int { portCount + 1 }

    /// True when `vlan` has counts.
    func includes(_ vlan: UInt16) -> Bool { denseIndex[Int(vlan & 0xfff)] != 0 }

    /// Gives `vlan` (1...4094) counts, all zero, if it has none yet; its dynamic masks are cleared.
    func include(_ vlan: UInt16) {
        guard !includes(vlan) else { return }
        if vlans.count == vlanCapacity { grow() }
        let dense = vlans.count
        vlans.append(vlan)
        denseIndex[Int(vlan)] = UInt16(dense + 1)
        (total + dense * cellsPerVLAN).update(repeating: 0, count: cellsPerVLAN)
        (untagged + dense * cellsPerVLAN).update(repeating: 0, count: cellsPerVLAN)
        plan.setDynamic(vlan: vlan, members: 0, untagged: 0)
    }

    /// Doubles the count storage (the counts are plain integers: copied as they are).
    private func grow() {
        let newCapacity = max(4, vlanCapacity * 2)
        let cells = newCapacity * cellsPerVLAN
        let newTotal = UnsafeMutablePointer<UInt32>.allocate(capacity: cells)
        let newUntagged = UnsafeMutablePointer<UInt32>.allocate(capacity: cells)
        newTotal.initialize(repeating: 0, count: cells)
        newUntagged.initialize(repeating: 0, count: cells)
        let used = vlans.count * cellsPerVLAN
        if used > 0 {
            newTotal.update(from: total, count: used)
            newUntagged.update(from: untagged, count: used)
        }
        total.deallocate()
        untagged.deallocate()
        total = newTotal
        untagged = newUntagged
        vlanCapacity = newCapacity
    }

    /// Removes all of this membership from the plan (the table is being replaced).
    func withdraw() {
        for vlan in vlans { plan.setDynamic(vlan: vlan, members: 0, untagged: 0) }
        let cells = vlans.count * cellsPerVLAN
        if cells > 0 {
            total.update(repeating: 0, count: cells)
            untagged.update(repeating: 0, count: cells)
        }
    }

    /// One more station on `port` needs `vlan`.
    func add(vlan: UInt16, port: Int, untagged wantsUntagged: Bool) {
        let dense = Int(denseIndex[Int(vlan)])
        guard dense != 0 else { return }
        let cell = (dense - 1) * cellsPerVLAN + port
        total[cell] += 1
        if wantsUntagged { untagged[cell] += 1 }
        if total[cell] == 1 || (wantsUntagged && untagged[cell] == 1) { update(vlan: vlan, port: port, cell: cell) }
    }

    /// One station fewer on `port` needs `vlan`.
    func remove(vlan: UInt16, port: Int, untagged wantsUntagged: Bool) {
        let dense = Int(denseIndex[Int(vlan)])
        guard dense != 0 else { return }
        let cell = (dense - 1) * cellsPerVLAN + port
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
