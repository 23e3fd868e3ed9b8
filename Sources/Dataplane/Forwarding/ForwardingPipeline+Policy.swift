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
    func forwardWithPolicy(_ frame: UnsafeRawBufferPointer, ingressPort port: Int) {
        let length = frame.count
        let destination = MACAddress(loadingFrom: frame, atOffset: 0)
        let source = MACAddress(loadingFrom: frame, atOffset: 6)
        let type = frame.loadBigEndianUInt16(at: 12)
        let stations = stationLookup
        let sourceIsStation = source.rawValue != 0 && !source.isMulticast

        // The source's station is looked up wherever it sends from: learning it off
        // the policy ports must still relocate it (to "unknown").
        let sourceStation = sourceIsStation && stations.count != 0 ? stations.index(of: source.rawValue) : nil
        var sourceRecord: UnsafeMutablePointer<StationRecord>?
        var untaggedVLAN = plan.untaggedVLAN(of: port)
        var stationVLAN: UInt16 = 0
        if let index = sourceStation, stations.isPolicyPort(port) {
            let record = stations.records + index
            sourceRecord = record
            record.pointee.rxFrames &+= 1
            record.pointee.rxBytes &+= UInt64(length)
            stationVLAN = record.pointee.vlan
            if record.pointee.has(StationRecord.classifies) { untaggedVLAN = stationVLAN }
        }

        // Ingress classification, as on the plain path but with the station's VLAN.
        let vlan: UInt16
        var ingressTCI: UInt16 = 0
        let tagged = type == EtherType.vlan
        if tagged {
            guard length >= 18 else { return drop(.malformed, port: port) }
            ingressTCI = frame.loadBigEndianUInt16(at: 14)
            let vid = ingressTCI & 0xfff
            vlan = vid == 0 ? untaggedVLAN : vid
            // The station's own VLAN is accepted before the port carries it: learning adds it.
            guard vlan != 0, vlan == stationVLAN || plan.isMember(port, of: vlan) else {
                return drop(.vlanNotAllowed, port: port)
            }
        } else {
            if type == EtherType.serviceVLAN, !isServiceTagComplete(frame) { return drop(.malformed, port: port) }
            vlan = untaggedVLAN
            guard vlan != 0 else { return drop(.vlanNotAllowed, port: port) }
        }

        if destination.isLinkLocalReserved {
            counters.add(.consumed, port: port)
            return
        }

        if sourceIsStation {
            let tag = sourceStation.map(StationTable.tag(for:)) ?? 0
            let result = macTable.learn(key: MACTableSlot.key(mac: source, vlan: vlan),
                                        port: UInt16(truncatingIfNeeded: port), nowSeconds: nowSeconds,
                                        stationTag: tag)
            switch result {
            case .refreshed, .staticEntry:
                break
            case .learned:
                if let index = sourceStation { self.stations.relocate(index, learnedOn: port) }
                notifyLearned(source, vlan: vlan, port: port, previousPort: nil, frame: frame)
            case .moved(let previous):
                if let index = sourceStation { self.stations.relocate(index, learnedOn: port) }
                notifyLearned(source, vlan: vlan, port: port, previousPort: previous, frame: frame)
            case .tableFull:
                counters.add(.learningRefused, port: port)
            }
        }

        var target = 0
        var destinationStation = 0
        var destinationRecord: UnsafeMutablePointer<StationRecord>?
        if !destination.isMulticast {
            let found = macTable.lookupWithStationTag(key: MACTableSlot.key(mac: destination, vlan: vlan),
                                                      nowSeconds: nowSeconds)
            target = found.port
            if target == port {
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
                    destinationRecord = stations.records + index
                }
            }
        }

        // ACLs: the port's win, then the source station's, then the destination's.
        let sourceACLs = Int(sourceRecord?.pointee.aclCount ?? 0)
        let destinationACLs = Int(destinationRecord?.pointee.aclCount ?? 0)
        if acls.hasACLs(port: port) || sourceACLs != 0 || destinationACLs != 0 {
            var fields = ACLFrameFields(frame: frame, source: source, destination: destination)
            var verdict = acls.evaluate(port: port, &fields)
            if verdict == .noMatch, let record = sourceRecord, sourceACLs != 0 {
                verdict = acls.evaluate(stations.aclLists + Int(record.pointee.aclStart), count: sourceACLs, &fields)
            }
            if verdict == .noMatch, let record = destinationRecord, destinationACLs != 0 {
                verdict = acls.evaluate(stations.aclLists + Int(record.pointee.aclStart), count: destinationACLs,
                                        &fields)
            }
            if verdict == .deny {
                sourceRecord?.pointee.aclDrops &+= 1
                destinationRecord?.pointee.aclDrops &+= 1
                return drop(.aclDeny, port: port)
            }
        }

        if let record = sourceRecord, record.pointee.has(StationRecord.ingressPolicing),
           let index = sourceStation, !stations.policers[2 &* index].admit(length: length, now: now.nanoseconds) {
            return drop(.rateLimited, port: port)
        }

        var output = EgressForms(original: frame, tagged: tagged, ingressTCI: ingressTCI, vlan: vlan)
        if target != 0 {
            if let record = destinationRecord {
                if record.pointee.has(StationRecord.egressPolicing),
                   !stations.policers[2 &* destinationStation &+ 1].admit(length: length, now: now.nanoseconds) {
                    return drop(.rateLimited, port: port)
                }
                counters.add(.forwarded, port: port)
                let sent = send(&output, to: target)
                if sent != 0 {
                    record.pointee.txFrames &+= 1
                    record.pointee.txBytes &+= UInt64(sent)
                }
            } else {
                counters.add(.forwarded, port: port)
                send(&output, to: target)
            }
            return
        }
        flood(&output, from: port)
    }

    // MARK: Look-ahead

    /// Forwards a batch while the cache lines of frames a few places ahead load:
    /// eight ahead, the station slots of both addresses; four ahead, the two
    /// stations' records and policers (found through those slots); two ahead,
    /// the MAC table slots (the VLAN read from the source's record, now cached).
    /// Each frame then finds its policy state in cache instead of waiting on up to
    /// five memory loads one after another. Forwarding itself is unchanged.
    func forwardLookingAhead(_ batch: FrameBatch) {
        let count = batch.count
        let lookup = stationLookup
        for index in 0..<min(count, 8) { prefetchSlots(batch[index].frame, lookup) }
        for index in 0..<min(count, 4) { prefetchStations(batch[index].frame, lookup) }
        for index in 0..<min(count, 2) { prefetchMACEntries(batch[index].frame, port: batch[index].port, lookup) }
        for index in 0..<count {
            if index &+ 8 < count { prefetchSlots(batch[index &+ 8].frame, lookup) }
            if index &+ 4 < count { prefetchStations(batch[index &+ 4].frame, lookup) }
            if index &+ 2 < count {
                let ahead = batch[index &+ 2]
                prefetchMACEntries(ahead.frame, port: ahead.port, lookup)
            }
            let (frame, port) = batch[index]
            forward(frame, ingressPort: port)
        }
    }

    @inline(__always)
    private func prefetchSlots(_ frame: UnsafeRawBufferPointer, _ lookup: StationLookup) {
        guard frame.count >= ParsedFrame.headerLength else { return }
        lookup.prefetchSlot(of: MACAddress(loadingFrom: frame, atOffset: 0).rawValue)
        lookup.prefetchSlot(of: MACAddress(loadingFrom: frame, atOffset: 6).rawValue)
    }

    @inline(__always)
    private func prefetchStations(_ frame: UnsafeRawBufferPointer, _ lookup: StationLookup) {
        guard frame.count >= ParsedFrame.headerLength else { return }
        lookup.prefetchState(of: MACAddress(loadingFrom: frame, atOffset: 0).rawValue, ingress: false)
        lookup.prefetchState(of: MACAddress(loadingFrom: frame, atOffset: 6).rawValue, ingress: true)
    }

    /// A guess at the frame's VLAN, as classification will make it; a wrong guess only loses the prefetch.
    @inline(__always)
    private func prefetchMACEntries(_ frame: UnsafeRawBufferPointer, port: Int, _ lookup: StationLookup) {
        guard frame.count >= 18, port >= 1, port <= portCount else { return }
        let source = MACAddress(loadingFrom: frame, atOffset: 6)
        var vlan = plan.untaggedVLAN(of: port)
        if frame.loadBigEndianUInt16(at: 12) == EtherType.vlan, frame.loadBigEndianUInt16(at: 14) & 0xfff != 0 {
            vlan = frame.loadBigEndianUInt16(at: 14) & 0xfff
        } else if lookup.isPolicyPort(port), let index = lookup.index(of: source.rawValue),
                  lookup.records[index].has(StationRecord.classifies) {
            vlan = lookup.records[index].vlan
        }
        macTable.prefetch(key: MACTableSlot.key(mac: source, vlan: vlan))
        macTable.prefetch(key: MACTableSlot.key(mac: MACAddress(loadingFrom: frame, atOffset: 0), vlan: vlan))
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
