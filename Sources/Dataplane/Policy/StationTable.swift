import Frames
import SwitchTypes

/// The station (VM) policies compiled for the forwarding path, and each
/// station's state: where it is, its token buckets, its drop counters.
///
/// Open addressing with linear probing, like `MACTable`, over 16-byte slots
/// (`StationSlot`) holding `mac | (index + 1) << 48` and the station's VLAN and
/// flags, so finding a station and classifying its frames is one load per probe
/// and the slots of 4096 stations fit in 128 KB. Records (one 64-byte line each,
/// with the ingress buckets), attributes (16 bytes), egress policers and cold
/// state are separate arrays indexed by that index, so a frame touches the
/// one line of its station it needs. Everything is allocated when the policies
/// change, never per frame.
///
/// At most 65,535 stations (the index shares the slot with the MAC); policies
/// beyond that, in MAC order, are ignored.
final class StationTable {
    static let maximumStations = 0xffff
    /// The index part of the tag of stations beyond the tags' reach (see `tag(for:egressPolicing:)`).
    static let overflowIndex: UInt16 = 0x3fff
    /// The bit of a station tag saying the station has egress buckets: the common
    /// case reads a destination station's state only for them (or for its ACLs,
    /// when the source's do not decide).
    static let egressPolicingBit: UInt16 = 1

    /// Stations in the table.
    let count: Int
    /// The ports where station policies apply (port p is bit p-1).
    let policyPorts: UInt64
    private let capacity: Int
    private let mask: Int
    private let shift: UInt64
    private let slots: UnsafeMutablePointer<StationSlot>
    let records: UnsafeMutablePointer<StationRecord>
    let attributes: UnsafeMutablePointer<StationAttributes>
    /// Per station, what only queries and ACL drops touch.
    let cold: UnsafeMutablePointer<StationColdState>
    /// The egress policers, by station index (the ingress ones are in the records).
    let policers: UnsafeMutablePointer<Policer>
    /// Per station, the third buckets of both directions (see `StationLookup.thirdBuckets`).
    let thirdBuckets: UnsafeMutablePointer<Policer>
    /// The stations' ACL lists, end to end (see `StationAttributes.aclStart`).
    let aclLists: UnsafeMutablePointer<UInt16>
    let membership: DynamicMembership
    /// The same storage for the forwarding path.
    let lookup: StationLookup

    /// An empty table: no station, no policy port.
    convenience init(portCount: Int, plan: ForwardingPlan) {
        self.init(entries: [], policyPorts: 0, acls: ACLTable(portCount: portCount), configuration: nil,
                  previous: nil, now: 0, plan: plan)
    }

    /// Compiles `configuration`'s station policies. A station already in `previous`
    /// keeps its learned location, drop counts and (when its buckets are unchanged)
    /// their state; a new one starts at its location hint with full buckets. The
    /// dynamic membership of the located stations is written into `plan`; the
    /// caller withdraws `previous`'s first.
    convenience init(configuration: BridgeConfiguration, acls: ACLTable, previous: StationTable?,
                     now: UInt64, plan: ForwardingPlan) {
        let entries = configuration.stationPolicies.sorted { $0.key < $1.key }.prefix(StationTable.maximumStations)
        var ports: UInt64 = 0
        for port in configuration.stationPolicyPorts where configuration.isValidPort(port) {
            ports |= ForwardingPlan.bit(port)
        }
        self.init(entries: Array(entries), policyPorts: ports, acls: acls, configuration: configuration,
                  previous: previous, now: now, plan: plan)
    }

    private init(entries: [(key: MACAddress, value: StationPolicy)], policyPorts: UInt64, acls: ACLTable,
                 configuration: BridgeConfiguration?, previous: StationTable?, now: UInt64, plan: ForwardingPlan) {
        count = entries.count
        self.policyPorts = policyPorts
        capacity = MACTable.capacity(for: max(1, count))
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: .empty, count: capacity)
        let recordBytes = max(1, count) * MemoryLayout<StationRecord>.stride
        records = UnsafeMutableRawPointer.allocate(byteCount: recordBytes, alignment: 64)
            .bindMemory(to: StationRecord.self, capacity: max(1, count))
        attributes = .allocate(capacity: max(1, count))
        let policerBytes = max(1, count) * MemoryLayout<Policer>.stride
        policers = UnsafeMutableRawPointer.allocate(byteCount: policerBytes, alignment: 64)
            .bindMemory(to: Policer.self, capacity: max(1, count))
        thirdBuckets = .allocate(capacity: 2 * max(1, count))
        cold = .allocate(capacity: max(1, count))
        aclLists = .allocate(capacity: max(1, entries.reduce(0) { $0 + $1.value.acls.count }))
        let hasEgressPolicing = entries.contains {
            !Policer.buckets(shaping: $0.value.egressShaping, limit: $0.value.egressLimit).isEmpty
        }
        lookup = StationLookup(count: count, policyPorts: policyPorts, hasEgressPolicing: hasEgressPolicing,
                               slots: slots, mask: mask, shift: shift, records: records, attributes: attributes,
                               policers: policers, thirdBuckets: thirdBuckets, cold: cold, aclLists: aclLists)

        var lists: [UInt16] = []
        var vlans = Set<UInt16>()
        for (index, (mac, policy)) in entries.enumerated() {
            let list = configuration.map { acls.activeList(policy.acls, in: $0) } ?? []
            let ingressBuckets = Policer.buckets(shaping: policy.ingressShaping, limit: policy.ingressLimit)
            let egressBuckets = Policer.buckets(shaping: policy.egressShaping, limit: policy.egressLimit)
            let ingress = Policer(ingressBuckets, at: now)
            let egress = Policer(egressBuckets, at: now)
            (thirdBuckets + 2 * index).initialize(to: Policer(ingressBuckets.dropFirst(2), at: now))
            (thirdBuckets + 2 * index + 1).initialize(to: Policer(egressBuckets.dropFirst(2), at: now))
            var flags: UInt16 = 0
            if policy.vlan != 0 {
                vlans.insert(policy.vlan)
                flags |= policy.tagged ? StationRecord.tagged : StationRecord.classifies
            }
            if ingress.isConfigured { flags |= StationRecord.ingressPolicing }
            if egress.isConfigured { flags |= StationRecord.egressPolicing }
            if ingressBuckets.count > 2 { flags |= StationRecord.ingressThirdBucket }
            if egressBuckets.count > 2 { flags |= StationRecord.egressThirdBucket }
            let source = acls.specialize(list, forSource: mac.rawValue)
            if source.decided {
                let rule = acls.rule(Int(list[source.skip]))
                flags |= StationRecord.sourceACLDecided
                if rule.deny { flags |= StationRecord.sourceACLDenies }
                if rule.statistics { flags |= StationRecord.sourceACLCounts }
            }
            var record = StationRecord(ingress: ingress)
            var attribute = StationAttributes(vlan: policy.vlan, flags: flags, aclCount: UInt16(list.count),
                                              aclStart: UInt32(lists.count))
            var coldState = StationColdState(mac: mac.rawValue)
            attribute.sourceACLSkip = UInt16(source.skip)
            if source.decided { record.sourceACLRule = list[source.skip] }
            lists += list
            (policers + index).initialize(to: egress)
            if let previous, let old = previous.index(of: mac.rawValue) {
                let oldRecord = previous.records[old]
                let oldAttributes = previous.attributes[old]
                coldState.aclDrops = previous.cold[old].aclDrops
                coldState.ingressPolicedDrops = previous.cold[old].ingressPolicedDrops
                coldState.egressPolicedDrops = previous.cold[old].egressPolicedDrops
                if oldAttributes.has(StationRecord.learned) {
                    attribute.learnedPort = oldAttributes.learnedPort
                    attribute.flags |= StationRecord.learned
                } else {
                    attribute.learnedPort = UInt16(policy.locationHint ?? 0)
                }
                StationTable.carry(oldRecord.ingress, into: &record.ingress)
                StationTable.carry(previous.policers[old], into: &policers[index])
                StationTable.carry(previous.thirdBuckets[2 * old], into: &thirdBuckets[2 * index])
                StationTable.carry(previous.thirdBuckets[2 * old + 1], into: &thirdBuckets[2 * index + 1])
            } else {
                attribute.learnedPort = UInt16(policy.locationHint ?? 0)
            }
            (records + index).initialize(to: record)
            (attributes + index).initialize(to: attribute)
            (cold + index).initialize(to: coldState)
            StationTable.insert(StationSlot(key: mac.rawValue | UInt64(index + 1) << 48, vlan: policy.vlan,
                                            flags: flags), into: lookup)
        }
        if !lists.isEmpty { aclLists.initialize(from: lists, count: lists.count) }

        membership = DynamicMembership(vlans: vlans.sorted(), portCount: plan.portCount, plan: plan)
        for index in 0..<count {
            let port = Int(attributes[index].learnedPort)
            if port != 0 { place(index, on: port) }
        }
    }

    deinit {
        slots.deallocate()
        records.deinitialize(count: count)
        UnsafeMutableRawPointer(records).deallocate()
        attributes.deinitialize(count: count)
        attributes.deallocate()
        cold.deinitialize(count: count)
        cold.deallocate()
        policers.deinitialize(count: count)
        UnsafeMutableRawPointer(policers).deallocate()
        thirdBuckets.deinitialize(count: 2 * count)
        thirdBuckets.deallocate()
        aclLists.deallocate()
    }

    /// Keeps the buckets' state when their rates and sizes did not change.
    private static func carry(_ old: Policer, into new: inout Policer) {
        if old.hasSameBuckets(as: new) { new = old }
    }

    // MARK: Forwarding path

    /// The station's index, nil when it has no policy.
    func index(of mac: UInt64) -> Int? { lookup.index(of: mac) }

    /// The tag a MAC table slot caches for the station at `index`: index + 1 (or
    /// `overflowIndex`, resolved by the MAC) above `egressPolicingBit`.
    @inline(__always)
    static func tag(for index: Int, egressPolicing: Bool) -> UInt16 {
        let indexPart = index < Int(overflowIndex) - 1 ? UInt16(truncatingIfNeeded: index + 1) : overflowIndex
        return indexPart &<< 1 | (egressPolicing ? egressPolicingBit : 0)
    }

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
        let location = isPolicyPort(port) ? port : 0
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

    // MARK: Queries

    /// Every station's counters, by MAC.
    func statistics() -> [StationStatistics] {
        (0..<count).map { index in
            StationStatistics(mac: MACAddress(rawValue: cold[index].mac), port: Int(attributes[index].location),
                                     ingressPolicedDrops: cold[index].ingressPolicedDrops,
                                     egressPolicedDrops: cold[index].egressPolicedDrops,
                                     aclDrops: cold[index].aclDrops)
        }
    }

    /// Zeroes every station's counters (not its buckets).
    func clearCounters() {
        for index in 0..<count {
            cold[index].aclDrops = 0
            cold[index].ingressPolicedDrops = 0
            cold[index].egressPolicedDrops = 0
        }
    }

    // MARK: Internals

    private static func insert(_ entry: StationSlot, into lookup: StationLookup) {
        var slot = lookup.home(of: entry.key & 0xffff_ffff_ffff)
        while lookup.slots[slot].key != 0 { slot = (slot + 1) & lookup.mask }
        lookup.slots[slot] = entry
    }
}
