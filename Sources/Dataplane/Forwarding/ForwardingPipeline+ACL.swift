import Frames

/// The ACL decision of the policy path: the port's list, then (on a policy
/// port) the source station's from its first rule that can match its frames,
/// then the destination station's; the first match decides, no match permits.
/// A denial counts against both stations.
extension ForwardingPipeline {
    /// True when the ACLs deny the frame (`destinationStation` -1 = none). Out of
    /// line: it keeps `decide`'s registers for the frame.
    @inline(never)
    func deniedByACL(_ fields: ACLFrameFields, port: Int, _ source: SourceClassification,
                     destinationStation: Int) -> Bool {
        let stations = stationLookup
        guard aclDenies(fields, port: port, source, destinationStation: destinationStation, stations) else {
            return false
        }
        countACLDrop(source, destinationStation: destinationStation, stations)
        return true
    }

    /// `deniedByACL`'s decision, every list evaluated rule by rule, the drop not counted.
    @inline(always)
    func aclDenies(_ fields: ACLFrameFields, port: Int, _ source: SourceClassification, destinationStation: Int,
                   _ stations: StationLookup) -> Bool {
        var verdict = acls.evaluate(port: port, fields)
        if verdict == .noMatch, source.flags & StationRecord.onPolicyPort != 0 {
            let station = stations.attributes + source.station
            if source.flags & StationRecord.sourceACLDecided != 0 {
                verdict = decidedVerdict(source.flags, rule: stations.records[source.station].sourceACLRule)
            } else if station.pointee.aclCount != 0 {
                let skip = Int(station.pointee.sourceACLSkip)
                verdict = acls.evaluate(stations.aclLists + (Int(station.pointee.aclStart) &+ skip),
                                        count: Int(station.pointee.aclCount) &- skip, fields)
            }
        }
        if verdict == .noMatch, destinationStation >= 0 {
            let station = stations.attributes + destinationStation
            let count = Int(station.pointee.aclCount)
            if count != 0 { verdict = acls.evaluate(stations.aclLists + Int(station.pointee.aclStart), count: count, fields) }
        }
        return verdict == .deny
    }

    /// The ACL decision for an untagged frame of type `etherType` from a station on
    /// policy port `port`, the same as `aclDenies`'s. Usually it takes no rule
    /// matching: the port's list is summarized (`PortACLSummary`) and the station's
    /// decided by its first rule (`StationRecord.sourceACLDecided`), which leaves
    /// the destination's unread. Otherwise the lists are evaluated rule by rule.
    /// The drop is not counted. `destinationTag` is the destination's station tag
    /// (0 = no station, or not on a policy port).
    @inline(always)
    func stationFrameDenied(_ frame: UnsafeRawBufferPointer, etherType: UInt16, destination: MACAddress, port: Int,
                            _ source: SourceClassification, destinationTag: UInt16,
                            _ stations: StationLookup) -> Bool {
        let summary = acls.summary(port: port)
        let decided = source.flags & StationRecord.sourceACLDecided != 0
        if summary.count < 0 || !decided {
            let destinationStation = stations.station(tag: destinationTag, mac: destination.rawValue) ?? -1
            if summary.count < 0 || stations.attributes[source.station].aclCount != 0
                || destinationStation >= 0 && stations.attributes[destinationStation].aclCount != 0 {
                let fields = ACLFrameFields(frame: frame, source: MACAddress(loadingFrom: frame, atOffset: 6),
                                            destination: destination, outerType: etherType)
                return aclDenies(fields, port: port, source, destinationStation: destinationStation, stations)
            }
        }
        var verdict = ACLVerdict.noMatch
        if summary.count > 0 {
            let number = summary.firstMatch(etherType: etherType)
            if number != 0 { verdict = acls.decide(number) }
        }
        if verdict == .noMatch, decided {
            verdict = decidedVerdict(source.flags, rule: stations.records[source.station].sourceACLRule)
        }
        return verdict == .deny
    }

    /// The verdict of a station's deciding rule, from its flags; its hit is counted.
    @inline(always)
    private func decidedVerdict(_ flags: UInt16, rule: UInt16) -> ACLVerdict {
        if flags & StationRecord.sourceACLCounts != 0 { acls.countHit(Int(rule)) }
        return flags & StationRecord.sourceACLDenies != 0 ? .deny : .permit
    }

    /// Counts an ACL denial against the source station (when its policy applies)
    /// and the destination station (-1 = none).
    func countACLDrop(_ source: SourceClassification, destinationStation: Int, _ stations: StationLookup) {
        if source.flags & StationRecord.onPolicyPort != 0 { stations.cold[source.station].aclDrops &+= 1 }
        if destinationStation >= 0 { stations.cold[destinationStation].aclDrops &+= 1 }
    }
}
