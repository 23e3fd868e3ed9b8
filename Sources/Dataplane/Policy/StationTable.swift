import Frames
import SwitchTypes

/// The station (VM) policies compiled for the forwarding path, and each
/// station's state: where it is, its token buckets, its drop counters.
///
/// Open addressing with linear probing, like `MACTable`, over 16-byte slots
/// (`StationSlot`) holding the MAC, the station's index and its VLAN and flags,
/// so finding a station and classifying its frames is one load per probe and
/// the slots of 4096 stations fit in 128 KB. Records (one 64-byte line each,
/// with the ingress buckets), attributes (16 bytes), egress policers and cold
/// state are separate arrays indexed by that index, so a frame touches the one
/// line of its station it needs. Nothing is allocated per frame.
///
/// Incremental: a station is inserted, changed or removed on its own (between
/// batches) in amortized constant time, so a VM arriving, moving or leaving
/// costs the same with ten stations or a million.
/// - A new station takes the next unused index; the arrays double when full,
///   copied as they are, so indexes survive growth.
/// - A removed station's index becomes a hole, reset to "no policy" (no VLAN,
///   no ACL, no bucket) and never handed out again by this table: a tag a MAC
///   table slot still caches for it (see `tag(for:egressPolicing:)`) reaches a
///   station without policy, never another station. When holes fill half the
///   indexes the owner compiles a new, compact table (`init(entries:…)`)
///   and retags the whole MAC table.
/// - ACL lists live end to end in one growable buffer: a list that grows is
///   appended, the old space counted as garbage and reclaimed in place (indexes
///   kept) once there is more garbage than live lists.
/// - The VLAN membership (`DynamicMembership`) follows each change at once.
final class StationTable {
    /// The index part of the tag of stations beyond the tags' reach (see `tag(for:egressPolicing:)`).
    static let overflowIndex: UInt16 = 0x3fff
    /// The bit of a station tag saying the station has egress buckets: the common
    /// case reads a destination station's state only for them (or for its ACLs,
    /// when the source's do not decide).
    static let egressPolicingBit: UInt16 = 1
    /// Fewest indexes allocated once a station exists: a small table compacts
    /// (and retags the MAC table) at most once per this many removals / 2.
    static let minimumCapacity = 1024

    /// Stations in the table.
    private(set) var count = 0
    /// Indexes handed out: the stations and the holes removed ones left.
    private(set) var indexCount = 0
    /// Indexes allocated.
    private(set) var capacity: Int
    /// The ports where station policies apply (port p is bit p-1).
    let policyPorts: UInt64
    /// The ACL rules the stations' lists name (`BridgeConfiguration.acls`).
    private let aclRules: [Int: ACLRule]
    private let acls: ACLTable
    private(set) var slotMask: Int
    private(set) var slotShift: UInt64
    private(set) var slots: UnsafeMutablePointer<StationSlot>
    private(set) var records: UnsafeMutablePointer<StationRecord>
    private(set) var attributes: UnsafeMutablePointer<StationAttributes>
    /// Per station, what only queries and ACL drops touch.
    private(set) var cold: UnsafeMutablePointer<StationColdState>
    /// The egress policers, by station index (the ingress ones are in the records).
    private(set) var policers: UnsafeMutablePointer<Policer>
    /// Per station, the third buckets of both directions (see `StationLookup.thirdBuckets`).
    private(set) var thirdBuckets: UnsafeMutablePointer<Policer>
    /// The stations' ACL lists (see `StationAttributes.aclStart`): `aclListEnd`
    /// used of `aclListCapacity`, of which `aclListGarbage` no station's.
    private var aclLists: UnsafeMutablePointer<UInt16>
    private var aclListCapacity: Int
    private var aclListEnd = 0
    private(set) var aclListGarbage = 0
    /// Per index, the installed policy; nil for a hole.
    private var policies: [StationPolicy?] = []
    /// Stations with egress buckets (`StationLookup.hasEgressPolicing`).
    private var egressPolicingCount = 0
    let membership: DynamicMembership
    /// The same storage for the forwarding path; replaced by every change (the
    /// arrays may have moved).
    private(set) var lookup: StationLookup

    /// Compiles `entries` (distinct MACs; at most `BridgeConfiguration.maximumStationPolicies`)
    /// in their order, with room for `minimumCapacity` stations. A station already in
    /// `previous` keeps its learned location, drop counts and (when its buckets are
    /// unchanged) their state; a new one starts at its location hint with full
    /// buckets. The dynamic membership of the located stations is written into
    /// `plan`; the caller withdraws `previous`'s first.
    init(entries: some Collection<(MACAddress, StationPolicy)>, configuration: BridgeConfiguration, acls: ACLTable,
         previous: StationTable?, now: UInt64, plan: ForwardingPlan, minimumCapacity: Int = 0) {
        var ports: UInt64 = 0
        for port in configuration.stationPolicyPorts where configuration.isValidPort(port) {
            ports |= ForwardingPlan.bit(port)
        }
        // A policy port's vNICs are policy ports too: its VMs sit behind them.
        for entry in configuration.vnicNumbering where configuration.stationPolicyPorts.contains(entry.name.port) {
            ports |= ForwardingPlan.bit(entry.number)
        }
        policyPorts = ports
        aclRules = configuration.acls
        self.acls = acls
        let wanted = max(entries.count, minimumCapacity)
        // No station, no storage: the first one grows the table to `minimumCapacity`.
        capacity = wanted == 0 ? 0 : StationTable.roundedCapacity(wanted)
        let slotCount = MACTable.capacity(for: capacity)
        slotMask = slotCount - 1
        slotShift = UInt64(64 - slotCount.trailingZeroBitCount)
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: .empty, count: slotCount)
        records = StationTable.allocateLines(capacity, StationTable.emptyRecord)
        attributes = .allocate(capacity: capacity)
        attributes.initialize(repeating: StationTable.emptyAttributes, count: capacity)
        cold = .allocate(capacity: capacity)
        cold.initialize(repeating: StationColdState(mac: 0), count: capacity)
        policers = StationTable.allocateLines(capacity, StationTable.emptyPolicer)
        thirdBuckets = .allocate(capacity: 2 * capacity)
        thirdBuckets.initialize(repeating: StationTable.emptyPolicer, count: 2 * capacity)
        aclListCapacity = max(16, entries.reduce(0) { $0 + $1.1.acls.count })
        aclLists = .allocate(capacity: aclListCapacity)
        aclLists.initialize(repeating: 0, count: aclListCapacity)
        policies.reserveCapacity(capacity)
        membership = DynamicMembership(vlans: [], portCount: plan.capacity, plan: plan)
        lookup = StationLookup(indexCount: 0, policyPorts: ports, hasEgressPolicing: false, slots: slots,
                               mask: slotMask, shift: slotShift, records: records, attributes: attributes,
                               policers: policers, thirdBuckets: thirdBuckets, cold: cold, aclLists: aclLists)
        for (mac, policy) in entries {
            let carried = previous.flatMap { old in old.index(of: mac.rawValue).map { old.state(of: $0) } }
            append(mac.rawValue, policy, carrying: carried, now: now)
        }
        refreshLookup()
    }

    deinit {
        slots.deallocate()
        UnsafeMutableRawPointer(records).deallocate()
        attributes.deallocate()
        cold.deallocate()
        UnsafeMutableRawPointer(policers).deallocate()
        thirdBuckets.deallocate()
        aclLists.deallocate()
    }

    // MARK: Changes (between batches)

    /// True when a new station needs `grow()` (or a compact table) first.
    var isFull: Bool { indexCount == capacity }

    /// Holes removed stations left, which only a new table reclaims.
    var holeCount: Int { indexCount - count }

    /// The installed stations and policies, in index order.
    var entries: [(MACAddress, StationPolicy)] {
        (0..<indexCount).compactMap { index in policies[index].map { (MACAddress(rawValue: cold[index].mac), $0) } }
    }

    /// The policy installed for `mac`, nil when none.
    func policy(of mac: UInt64) -> StationPolicy? { index(of: mac).flatMap { policies[$0] } }

    /// Installs a new station (not in the table; the table is not full), located at its hint.
    func insert(_ mac: UInt64, _ policy: StationPolicy, now: UInt64) {
        precondition(!isFull && index(of: mac) == nil)
        append(mac, policy, carrying: nil, now: now)
        refreshLookup()
    }

    /// Replaces the policy of the station at `index`. It keeps its learned location,
    /// drop counts and the state of the buckets whose rates and sizes are unchanged,
    /// as a full compile does; its membership moves to its new VLAN at once.
    func update(at index: Int, _ policy: StationPolicy, now: UInt64) {
        let carried = state(of: index)
        withdrawMembership(of: index)
        write(cold[index].mac, policy, at: index, carrying: carried, now: now)
        compactListsIfWasteful()
        refreshLookup()
    }

    /// Removes the station at `index`: its membership is withdrawn and its index
    /// becomes a hole with no policy (see the type's comment).
    func remove(at index: Int) {
        withdrawMembership(of: index)
        deleteSlot(of: cold[index].mac)
        if attributes[index].has(StationRecord.egressPolicing) { egressPolicingCount -= 1 }
        aclListGarbage += Int(attributes[index].aclCount)
        records[index] = StationTable.emptyRecord
        attributes[index] = StationTable.emptyAttributes
        cold[index] = StationColdState(mac: 0)
        policers[index] = StationTable.emptyPolicer
        thirdBuckets[2 * index] = StationTable.emptyPolicer
        thirdBuckets[2 * index + 1] = StationTable.emptyPolicer
        policies[index] = nil
        count -= 1
        compactListsIfWasteful()
        refreshLookup()
    }

    /// Doubles the index space in place (or more, to hold `indexes`): every array
    /// is copied as it is and the slots rehashed, so indexes (and the tags caching
    /// them) stay valid.
    func grow(toHold indexes: Int = 0) {
        let newCapacity = max(StationTable.minimumCapacity, capacity * 2, StationTable.roundedCapacity(indexes))
        records = StationTable.moved(records, count: indexCount, to: newCapacity, lines: true,
                                     empty: StationTable.emptyRecord)
        attributes = StationTable.moved(attributes, count: indexCount, to: newCapacity, lines: false,
                                        empty: StationTable.emptyAttributes)
        cold = StationTable.moved(cold, count: indexCount, to: newCapacity, lines: false, empty: StationColdState(mac: 0))
        policers = StationTable.moved(policers, count: indexCount, to: newCapacity, lines: true,
                                      empty: StationTable.emptyPolicer)
        thirdBuckets = StationTable.moved(thirdBuckets, count: 2 * indexCount, to: 2 * newCapacity, lines: false,
                                          empty: StationTable.emptyPolicer)
        capacity = newCapacity
        policies.reserveCapacity(newCapacity)
        let oldSlots = slots
        let oldCount = slotMask + 1
        let slotCount = MACTable.capacity(for: newCapacity)
        slotMask = slotCount - 1
        slotShift = UInt64(64 - slotCount.trailingZeroBitCount)
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: .empty, count: slotCount)
        for slot in 0..<oldCount where oldSlots[slot].key != 0 { insertSlot(oldSlots[slot]) }
        oldSlots.deallocate()
        refreshLookup()
    }

    // MARK: Forwarding path

    /// The station's index, nil when it has no policy.
    func index(of mac: UInt64) -> Int? {
        let slot = slotIndex(of: mac)
        return slot < 0 ? nil : slots[slot].index
    }

    /// The tag a MAC table slot caches for the station at `index`: index + 1 (or
    /// `overflowIndex`, resolved by the MAC) above `egressPolicingBit`.
    @inline(__always)
    static func tag(for index: Int, egressPolicing: Bool) -> UInt16 {
        let indexPart = index < Int(overflowIndex) - 1 ? UInt16(truncatingIfNeeded: index + 1) : overflowIndex
        return indexPart &<< 1 | (egressPolicing ? egressPolicingBit : 0)
    }

    /// The tag for `mac`'s station, 0 when it has none.
    func tag(of mac: UInt64) -> UInt16 { index(of: mac).map(lookup.tag(for:)) ?? 0 }

    /// True when station policies apply on `port`.
    func isPolicyPort(_ port: Int) -> Bool { lookup.isPolicyPort(port) }

    /// Records that the dataplane learned the station at `index` on `port`: its
    /// location becomes `port` if that is a policy port, else unknown (0), and the
    /// VLAN membership follows it at once — the old port loses the VLAN unless
    /// another station there still needs it.
    func relocate(_ index: Int, learnedOn port: Int) {
        attributes[index].flags |= StationRecord.learned
        place(index, on: port)
    }

    private func place(_ index: Int, on port: Int) {
        let station = attributes + index
        station.pointee.learnedPort = UInt16(truncatingIfNeeded: port)
        let location = port > 0 && isPolicyPort(port) ? port : 0
        let previous = Int(station.pointee.location)
        guard location != previous else { return }
        let vlan = station.pointee.vlan
        if vlan != 0 {
            let wantsUntagged = !station.pointee.has(StationRecord.tagged)
            if previous != 0 { membership.remove(vlan: vlan, port: previous, untagged: wantsUntagged) }
            if location != 0 { membership.add(vlan: vlan, port: location, untagged: wantsUntagged) }
        }
        station.pointee.location = UInt16(truncatingIfNeeded: location)
    }

    /// Takes the station at `index` off its port's membership (its location is kept in `learnedPort`).
    private func withdrawMembership(of index: Int) {
        let station = attributes + index
        let location = Int(station.pointee.location)
        if location != 0, station.pointee.vlan != 0 {
            membership.remove(vlan: station.pointee.vlan, port: location,
                              untagged: !station.pointee.has(StationRecord.tagged))
        }
        station.pointee.location = 0
    }

    // MARK: Queries

    /// Every station's counters, by MAC.
    func statistics() -> [StationStatistics] {
        (0..<indexCount).filter { policies[$0] != nil }.map { index in
            StationStatistics(mac: MACAddress(rawValue: cold[index].mac), port: Int(attributes[index].location),
                              ingressPolicedDrops: cold[index].ingressPolicedDrops,
                              egressPolicedDrops: cold[index].egressPolicedDrops,
                              aclDrops: cold[index].aclDrops)
        }.sorted { $0.mac < $1.mac }
    }

    /// Zeroes every station's counters (not its buckets).
    func clearCounters() {
        for index in 0..<indexCount {
            cold[index].aclDrops = 0
            cold[index].ingressPolicedDrops = 0
            cold[index].egressPolicedDrops = 0
        }
    }

    // MARK: Compiling one station

    /// What a station keeps across a change of its policy or a new table.
    private struct CarriedState {
        var cold: StationColdState
        var learnedPort: UInt16?
        var ingress: Policer
        var egress: Policer
        var ingressThird: Policer
        var egressThird: Policer
    }

    private func state(of index: Int) -> CarriedState {
        let station = attributes[index]
        return CarriedState(cold: cold[index],
                            learnedPort: station.has(StationRecord.learned) ? station.learnedPort : nil,
                            ingress: records[index].ingress, egress: policers[index],
                            ingressThird: thirdBuckets[2 * index], egressThird: thirdBuckets[2 * index + 1])
    }

    /// Gives the station the next index.
    private func append(_ mac: UInt64, _ policy: StationPolicy, carrying carried: CarriedState?, now: UInt64) {
        let index = indexCount
        indexCount += 1
        count += 1
        policies.append(policy)
        attributes[index] = StationTable.emptyAttributes
        insertSlot(StationSlot(mac: mac, index: index, vlan: 0, flags: 0))
        write(mac, policy, at: index, carrying: carried, now: now)
    }

    /// Compiles `policy` into the station at `index` (whose slot exists and whose
    /// membership is withdrawn) and places it: at its learned port when `carried`
    /// says it was learned, else at the policy's hint.
    private func write(_ mac: UInt64, _ policy: StationPolicy, at index: Int, carrying carried: CarriedState?,
                       now: UInt64) {
        let list = acls.activeList(policy.acls, rules: aclRules)
        let ingressBuckets = Policer.buckets(shaping: policy.ingressShaping, limit: policy.ingressLimit)
        let egressBuckets = Policer.buckets(shaping: policy.egressShaping, limit: policy.egressLimit)
        var ingress = Policer(ingressBuckets, at: now)
        var egress = Policer(egressBuckets, at: now)
        var ingressThird = Policer(ingressBuckets.dropFirst(2), at: now)
        var egressThird = Policer(egressBuckets.dropFirst(2), at: now)
        var flags: UInt16 = 0
        if policy.vlan != 0 {
            membership.include(policy.vlan)
            flags |= policy.tagged ? StationRecord.tagged : StationRecord.classifies
        }
        if ingress.isConfigured { flags |= StationRecord.ingressPolicing }
        if egress.isConfigured { flags |= StationRecord.egressPolicing }
        if ingressBuckets.count > 2 { flags |= StationRecord.ingressThirdBucket }
        if egressBuckets.count > 2 { flags |= StationRecord.egressThirdBucket }
        let source = acls.specialize(list, forSource: mac)
        var sourceRule: UInt16 = 0
        if source.decided {
            let rule = acls.rule(Int(list[source.skip]))
            flags |= StationRecord.sourceACLDecided
            if rule.deny { flags |= StationRecord.sourceACLDenies }
            if rule.statistics { flags |= StationRecord.sourceACLCounts }
            sourceRule = list[source.skip]
        }
        var coldState = StationColdState(mac: mac)
        if let carried {
            coldState.aclDrops = carried.cold.aclDrops
            coldState.ingressPolicedDrops = carried.cold.ingressPolicedDrops
            coldState.egressPolicedDrops = carried.cold.egressPolicedDrops
            StationTable.carry(carried.ingress, into: &ingress)
            StationTable.carry(carried.egress, into: &egress)
            StationTable.carry(carried.ingressThird, into: &ingressThird)
            StationTable.carry(carried.egressThird, into: &egressThird)
        }
        let old = attributes[index]
        if old.has(StationRecord.egressPolicing) { egressPolicingCount -= 1 }
        if flags & StationRecord.egressPolicing != 0 { egressPolicingCount += 1 }
        var attribute = StationAttributes(vlan: policy.vlan, flags: flags, aclCount: UInt16(list.count),
                                          aclStart: storeList(list, replacing: old))
        attribute.sourceACLSkip = UInt16(source.skip)
        var record = StationRecord(ingress: ingress)
        record.sourceACLRule = sourceRule
        let learnedPort = carried?.learnedPort
        if learnedPort != nil { attribute.flags |= StationRecord.learned }
        records[index] = record
        attributes[index] = attribute
        cold[index] = coldState
        policers[index] = egress
        thirdBuckets[2 * index] = ingressThird
        thirdBuckets[2 * index + 1] = egressThird
        policies[index] = policy
        let slot = slots + slotIndex(of: mac)
        slot.pointee.vlan = policy.vlan
        slot.pointee.flags = flags
        let port = Int(learnedPort ?? UInt16(policy.locationHint ?? 0))
        attributes[index].learnedPort = UInt16(truncatingIfNeeded: port)
        if port != 0 { place(index, on: port) }
    }

    /// Keeps the buckets' state when their rates and sizes did not change.
    private static func carry(_ old: Policer, into new: inout Policer) {
        if old.hasSameBuckets(as: new) { new = old }
    }

    /// Stores a station's ACL list in place of its old one (`old`'s) when it fits,
    /// else at the end; returns where.
    private func storeList(_ list: [UInt16], replacing old: StationAttributes) -> UInt32 {
        let oldCount = Int(old.aclCount)
        if list.count <= oldCount {
            aclListGarbage += oldCount - list.count
            let start = Int(old.aclStart)
            for (offset, number) in list.enumerated() { aclLists[start + offset] = number }
            return old.aclStart
        }
        aclListGarbage += oldCount
        if aclListEnd + list.count > aclListCapacity {
            let newCapacity = max(aclListCapacity * 2, aclListEnd + list.count)
            aclLists = StationTable.moved(aclLists, count: aclListEnd, to: newCapacity, lines: false, empty: 0)
            aclListCapacity = newCapacity
        }
        let start = aclListEnd
        for (offset, number) in list.enumerated() { aclLists[start + offset] = number }
        aclListEnd += list.count
        return UInt32(start)
    }

    /// Rewrites the lists end to end when most of their storage is garbage: the
    /// stations keep their indexes, only their `aclStart` moves. The pass reads
    /// every index, so it waits for garbage in proportion to them too: amortized,
    /// a few entries per change however few stations have lists.
    private func compactListsIfWasteful() {
        let live = aclListEnd - aclListGarbage
        guard aclListGarbage > max(64, live, indexCount / 4) else { return }
        let newCapacity = max(16, 2 * live)
        let compacted = UnsafeMutablePointer<UInt16>.allocate(capacity: newCapacity)
        compacted.initialize(repeating: 0, count: newCapacity)
        var end = 0
        for index in 0..<indexCount where attributes[index].aclCount != 0 {
            let count = Int(attributes[index].aclCount)
            compacted.advanced(by: end).update(from: aclLists + Int(attributes[index].aclStart), count: count)
            attributes[index].aclStart = UInt32(end)
            end += count
        }
        aclLists.deallocate()
        aclLists = compacted
        aclListCapacity = newCapacity
        aclListEnd = end
        aclListGarbage = 0
    }

    /// Points `lookup` at the storage as it is now.
    private func refreshLookup() {
        lookup = StationLookup(indexCount: indexCount, policyPorts: policyPorts,
                               hasEgressPolicing: egressPolicingCount > 0, slots: slots, mask: slotMask,
                               shift: slotShift, records: records, attributes: attributes, policers: policers,
                               thirdBuckets: thirdBuckets, cold: cold, aclLists: aclLists)
    }
}
