import Frames

/// The forwarding path when ACLs or station policies exist, and the queries
/// about them. Kept apart from the plain path, which branches here once per
/// frame, so a switch without policies pays one predictable branch for them.
///
/// Per frame, in order: the source station (its policy applies only on a policy
/// port) may classify an untagged frame into its VLAN; learning a station
/// (new or moved — not a refresh) relocates it, moving its VLAN membership
/// before the frame is forwarded; the destination's station comes from the
/// MAC table slot's cached tag, for known unicast only; ACLs decide (port,
/// then source station, then destination station: first match wins, no match
/// permits); then the source's ingress buckets and, for known unicast to a
/// station, its egress buckets. Egress policing applies to known unicast only:
/// flooded copies towards a station's port are not charged to it.
extension ForwardingPipeline {
    /// Forwards a received frame (see `receive`) whose source station and VLAN
    /// `classify` worked out.
    func forwardWithPolicy(_ frame: UnsafeRawBufferPointer, ingressPort port: Int, _ source: SourceClassification) {
        let length = frame.count
        let destination = MACAddress(loadingFrom: frame, atOffset: 0)
        let type = frame.loadBigEndianUInt16(at: 12)
        let stations = stationLookup
        let vlan = source.vlan

        // The source's policy applies on a policy port only (`classify` leaves the
        // flags empty elsewhere); its station is relocated wherever it sends from.
        var sourceACLs = false
        var stationVLAN: UInt16 = 0
        if source.flags & StationRecord.onPolicyPort != 0 {
            let attributes = stations.attributes[source.station]
            sourceACLs = attributes.aclCount != 0
            stationVLAN = attributes.vlan
        }

        // Ingress checks, as on the plain path; the station's own VLAN is accepted
        // before the port carries it: learning adds it.
        var ingressTCI: UInt16 = 0
        let tagged = type == EtherType.vlan
        if tagged {
            guard length >= 18 else { return drop(.malformed, port: port) }
            ingressTCI = frame.loadBigEndianUInt16(at: 14)
            guard vlan != 0, vlan == stationVLAN || plan.isMember(port, of: vlan) else {
                return drop(.vlanNotAllowed, port: port)
            }
        } else {
            if type == EtherType.serviceVLAN, !isServiceTagComplete(frame) { return drop(.malformed, port: port) }
            guard vlan != 0 else { return drop(.vlanNotAllowed, port: port) }
        }

        let sourceMAC = MACAddress(loadingFrom: frame, atOffset: 6)
        let station = source.station
        if station >= 0 {
            // A station's record remembers its entry: in the same second and epoch,
            // learning it again from the same port would change nothing.
            let record = stations.records + station
            let epoch = macTable.epoch
            let stamp = StationRecord.entryStamp(vlan: vlan, port: port, second: nowSeconds)
            if !record.pointee.isEntryCurrent(stamp, epoch: epoch) {
                if learn(sourceMAC, vlan: vlan, port: port, station: station, frame: frame) {
                    record.pointee.cacheEntry(stamp, epoch: macTable.epoch)
                }
            }
        } else if sourceMAC.rawValue != 0, !sourceMAC.isMulticast {
            learn(sourceMAC, vlan: vlan, port: port, station: -1, frame: frame)
        }

        var target = 0
        var destinationStation = -1
        if !destination.isMulticast {
            let found = macTable.lookupWithStationTag(key: MACTableSlot.key(mac: destination, vlan: vlan),
                                                      nowSeconds: nowSeconds)
            target = found.port
            if target == port, !plan.hairpins(port) {
                counters.add(.filtered, port: port)
                return
            }
            if target != 0 {
                guard plan.isEnabled(target), plan.isMember(target, of: vlan) else {
                    return drop(.destinationUnavailable, port: port)
                }
                if found.stationTag != 0, stations.isPolicyPort(target),
                   let index = stations.station(tag: found.stationTag, mac: destination.rawValue) {
                    destinationStation = index
                }
            }
        }

        // ACLs: the port's win, then the source station's (from its first rule that
        // can match its frames), then the destination's.
        if acls.hasACLs(port: port) || sourceACLs
            || destinationStation >= 0 && stations.attributes[destinationStation].aclCount != 0,
           deniedByACL(ACLFrameFields(frame: frame, source: sourceMAC, destination: destination, outerType: type),
                       port: port, source, destinationStation: destinationStation) {
            return drop(.aclDeny, port: port)
        }

        if source.flags & StationRecord.ingressPolicing != 0,
           !stations.admitFrom(source.station, flags: source.flags, length: length, at: policingTime) {
            stations.cold[source.station].ingressPolicedDrops &+= 1
            return drop(.rateLimited, port: port)
        }

        var output = EgressForms(original: frame, tagged: tagged, ingressTCI: ingressTCI, vlan: vlan)
        if target != 0 {
            return deliver(&output, from: port, to: target, length: length, destinationStation: destinationStation,
                           stations)
        }
        flood(&output, from: port)
    }

    /// Sends a known unicast frame that passed the ACLs and its source's buckets to
    /// `target`, through the destination station's egress buckets (-1 = no station).
    @inline(always)
    func deliver(_ output: inout EgressForms, from port: Int, to target: Int, length: Int, destinationStation: Int,
                 _ stations: StationLookup) {
        guard destinationStation >= 0 else {
            counters.add(.forwarded, port: port)
            send(&output, to: target)
            return
        }
        if stations.attributes[destinationStation].has(StationRecord.egressPolicing),
           !stations.admitTo(destinationStation, length: length, at: policingTime) {
            stations.cold[destinationStation].egressPolicedDrops &+= 1
            return drop(.rateLimited, port: port)
        }
        counters.add(.forwarded, port: port)
        send(&output, to: target)
    }

    /// Learns the frame's source (a unicast, non-zero MAC): a new or moved station
    /// is relocated and reported. `station` is its station index, -1 for none.
    /// - Returns: true when the entry is in the table on `port` afterwards.
    @discardableResult @inline(__always)
    private func learn(_ mac: MACAddress, vlan: UInt16, port: Int, station: Int,
                       frame: UnsafeRawBufferPointer) -> Bool {
        let result = macTable.learn(key: MACTableSlot.key(mac: mac, vlan: vlan),
                                    port: UInt16(truncatingIfNeeded: port), nowSeconds: nowSeconds,
                                    stationTag: station >= 0 ? stationLookup.tag(for: station) : 0)
        switch result {
        case .refreshed:
            return true
        case .staticEntry:
            return false
        case .learned:
            learnedOrMoved(mac, vlan: vlan, port: port, previousPort: nil, station: station, frame: frame)
            return true
        case .moved(let previous):
            learnedOrMoved(mac, vlan: vlan, port: port, previousPort: previous, station: station, frame: frame)
            return true
        case .tableFull:
            counters.add(.learningRefused, port: port)
            return false
        case .portLimit:
            counters.add(.portLimitRefused, port: port)
            return false
        }
    }

    /// Relocates the station (its VLAN membership follows it before the frame is
    /// forwarded) and tells the observer. Rare, so kept out of the frame's path.
    @inline(never)
    private func learnedOrMoved(_ mac: MACAddress, vlan: UInt16, port: Int, previousPort: Int?, station: Int,
                                frame: UnsafeRawBufferPointer) {
        if station >= 0 { stations.relocate(station, learnedOn: port) }
        notifyLearned(mac, vlan: vlan, port: port, previousPort: previousPort, frame: frame)
    }

    /// The frame's source station and the VLAN the frame belongs to: its tag's,
    /// else the station's when the station classifies and `port` is a policy
    /// port, else the port's untagged VLAN (0 = none). The frame holds at least
    /// an Ethernet header and `port` is valid.
    @inline(__always)
    func classify(_ frame: UnsafeRawBufferPointer, port: Int, _ lookup: StationLookup) -> SourceClassification {
        let source = MACAddress(loadingFrom: frame, atOffset: 6).rawValue
        var result = SourceClassification(station: -1, vlan: plan.untaggedVLAN(of: port), flags: 0)
        // Only a unicast, non-zero source names a station (an empty slot's key is 0).
        let slot = source != 0 && !MACAddress(rawValue: source).isMulticast ? lookup.slotIndex(of: source) : -1
        if slot >= 0 {
            let entry = lookup.slots[slot]
            result.station = entry.index
            if lookup.isPolicyPort(port) {
                result.flags = entry.flags | StationRecord.onPolicyPort
                if entry.flags & StationRecord.classifies != 0 { result.vlan = entry.vlan }
            }
        }
        if frame.loadBigEndianUInt16(at: 12) == EtherType.vlan, frame.count >= 18 {
            let vid = frame.loadBigEndianUInt16(at: 14) & 0xfff
            if vid != 0 { result.vlan = vid }
        }
        return result
    }

    // MARK: Queries

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
