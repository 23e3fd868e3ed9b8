import Frames

/// The forwarding decision, written once (as VPP writes a node's function once and
/// instantiates it per loop). `decide` is generic over the loop's `ForwardingMode`
/// and always inlined, so each loop gets its own copy with the other loops' tests
/// folded away at compile time: the plain loop's copy has no station, ACL or
/// bucket in it at all, and the vector loop's starts its lookup where the
/// look-ahead's prefetch did.
///
/// Per frame, in order: ingress checks (length, tags, the port's VLANs — on a
/// policy port a station's own VLAN is accepted before the port carries it:
/// learning adds it); learning the source (a station learned from this port in
/// this second and epoch is not learned again: see `StationRecord.isEntryCurrent`;
/// a new or moved station is relocated, moving its VLAN membership before the frame
/// is forwarded); the destination's lookup (known unicast, the ingress port only in
/// reflective relay); then, with policies, the ACLs (port, then source station, then
/// destination station: first match wins, no match permits) and the source's ingress
/// buckets and, for known unicast to a station, its egress buckets; then out, or
/// flooded. Egress policing applies to known unicast only: flooded copies towards a
/// station's port are not charged to it.
extension ForwardingPipeline {
    /// Forwards a frame that `receive` let through, classified by `classify`. `stations`
    /// is `stationLookup`, which the loops hold in a local: read from the property, it
    /// would be loaded again after every store the loop makes.
    @inline(always)
    func decide<Mode: ForwardingMode>(_ frame: UnsafeRawBufferPointer, ingressPort port: Int,
                                      _ source: SourceClassification, _ stations: StationLookup, _ mode: Mode.Type) {
        let length = frame.count
        let destination = MACAddress(loadingFrom: frame, atOffset: 0)
        let type = frame.loadBigEndianUInt16(at: 12)
        let vlan = source.vlan
        // `classify` gives a station flags only where its policy applies (a policy port).
        let onPolicyPort = Mode.policy && source.flags & StationRecord.onPolicyPort != 0

        // Ingress checks.
        var ingressTCI: UInt16 = 0
        let tagged = type == EtherType.vlan
        if tagged {
            guard length >= 18 else { return drop(.malformed, port: port) }
            ingressTCI = frame.loadBigEndianUInt16(at: 14)
            guard vlan != 0, plan.isMember(port, of: vlan)
                    || onPolicyPort && vlan == stations.attributes[source.station].vlan else {
                return drop(.vlanNotAllowed, port: port)
            }
        } else {
            if type == EtherType.serviceVLAN, !isServiceTagComplete(frame) { return drop(.malformed, port: port) }
            guard vlan != 0 else { return drop(.vlanNotAllowed, port: port) }
        }

        // The destination's slot loads while learning waits for the source's: two cache
        // misses overlapped, not one after the other (the vector loop's look-ahead did it).
        let destinationKey = MACTableSlot.key(mac: destination, vlan: vlan)
        if !Mode.lookedAhead, !destination.isMulticast { macTable.prefetcher.prefetch(key: destinationKey) }
        let sourceMAC = MACAddress(loadingFrom: frame, atOffset: 6)
        if Mode.policy, source.station >= 0 {
            let record = stations.records + source.station
            let stamp = StationRecord.entryStamp(vlan: vlan, port: port, second: nowSeconds)
            if !record.pointee.isEntryCurrent(stamp, epoch: macTable.epoch),
               learnSource(sourceMAC, vlan: vlan, port: port, station: source.station, frame: frame) {
                record.pointee.cacheEntry(stamp, epoch: macTable.epoch)
            }
        } else {
            learnSource(sourceMAC, vlan: vlan, port: port, frame: frame)
        }

        guard let found = knownDestination(destinationKey, multicast: destination.isMulticast, vlan: vlan, from: port,
                                           home: Mode.lookedAhead ? Int(source.destinationHome) : nil) else { return }
        var output = EgressForms(original: frame, tagged: tagged, ingressTCI: ingressTCI, vlan: vlan)
        guard Mode.policy else {
            if found.port == 0 { return flood(&output, from: port) }
            counters.add(.forwarded, port: port)
            send(&output, to: found.port)
            return
        }

        // The destination's station counts only on a policy port; its index is worked out
        // only when its ACLs or buckets are read (most frames never need it).
        let destinationTag = found.port != 0 && stations.isPolicyPort(found.port) ? found.stationTag : 0
        if aclsDeny(frame, type: type, tagged: tagged, source: sourceMAC, destination: destination, port: port,
                    source, destinationTag: destinationTag, stations) {
            return drop(.aclDeny, port: port)
        }
        if source.flags & StationRecord.ingressPolicing != 0,
           !stations.admitFrom(source.station, flags: source.flags, length: length, at: policingTime) {
            stations.cold[source.station].ingressPolicedDrops &+= 1
            return drop(.rateLimited, port: port)
        }
        if found.port == 0 { return flood(&output, from: port) }
        if destinationTag & StationTable.egressPolicingBit != 0,
           let station = stations.station(tag: destinationTag, mac: destination.rawValue),
           !stations.admitTo(station, length: length, at: policingTime) {
            stations.cold[station].egressPolicedDrops &+= 1
            return drop(.rateLimited, port: port)
        }
        counters.add(.forwarded, port: port)
        send(&output, to: found.port)
    }

    /// Where known unicast goes: its port and the slot's station tag, port 0 to flood
    /// (multicast, or not in the table). Nil when the frame ends here: filtered (back
    /// out of the port it came in on, except in reflective relay) or dropped (the port
    /// is down or not in the VLAN). `home` is where the probe starts, when the
    /// look-ahead hashed the key already.
    @inline(always)
    func knownDestination(_ key: UInt64, multicast: Bool, vlan: UInt16, from port: Int, home: Int?)
        -> (port: Int, stationTag: UInt16)? {
        guard !multicast else { return (0, 0) }
        let found = if let home { macTable.lookupWithStationTag(key: key, home: home, nowSeconds: nowSeconds) }
                    else { macTable.lookupWithStationTag(key: key, nowSeconds: nowSeconds) }
        guard found.port != 0 else { return (0, 0) }
        if found.port == port, !plan.hairpins(port) {
            counters.add(.filtered, port: port)
            return nil
        }
        guard plan.isEnabled(found.port), plan.isMember(found.port, of: vlan) else {
            drop(.destinationUnavailable, port: port)
            return nil
        }
        return found
    }

    /// The ACL decision: true when the frame is denied (the drop counted against the
    /// stations, not yet against the port). An untagged frame from a station on a policy
    /// port takes `stationFrameDenied`, which usually decides without matching a rule;
    /// any other frame is matched against the lists that can apply, rule by rule.
    @inline(always)
    func aclsDeny(_ frame: UnsafeRawBufferPointer, type: UInt16, tagged: Bool, source sourceMAC: MACAddress,
                  destination: MACAddress, port: Int, _ source: SourceClassification,
                  destinationTag: UInt16, _ stations: StationLookup) -> Bool {
        if source.flags & StationRecord.onPolicyPort != 0, !tagged, type != EtherType.serviceVLAN {
            guard stationFrameDenied(frame, etherType: type, destination: destination, port: port, source,
                                     destinationTag: destinationTag, stations) else { return false }
            countACLDrop(source, destinationStation: stations.station(tag: destinationTag, mac: destination.rawValue) ?? -1,
                         stations)
            return true
        }
        let destinationStation = destinationTag == 0 ? -1 : stations.station(tag: destinationTag, mac: destination.rawValue) ?? -1
        let sourceACLs = source.flags & StationRecord.onPolicyPort != 0 && stations.attributes[source.station].aclCount != 0
        guard acls.hasACLs(port: port) || sourceACLs
                || destinationStation >= 0 && stations.attributes[destinationStation].aclCount != 0 else { return false }
        return deniedByACL(ACLFrameFields(frame: frame, source: sourceMAC, destination: destination, outerType: type),
                           port: port, source, destinationStation: destinationStation)
    }

    /// The frame's source station and the VLAN it belongs to: its tag's, else (with
    /// policies) the station's when the station classifies and `port` is a policy port,
    /// else the port's untagged VLAN (0 = none). The frame holds at least an Ethernet
    /// header and `port` is valid.
    @inline(always)
    func classify<Mode: ForwardingMode>(_ frame: UnsafeRawBufferPointer, port: Int, _ lookup: StationLookup,
                                        _ mode: Mode.Type) -> SourceClassification {
        var result = SourceClassification(station: -1, vlan: plan.untaggedVLAN(of: port), flags: 0)
        if Mode.policy {
            let source = MACAddress(loadingFrom: frame, atOffset: 6).rawValue
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
        }
        // VID 0 is a priority tag: the frame stays in the VLAN worked out above.
        if frame.loadBigEndianUInt16(at: 12) == EtherType.vlan, frame.count >= 18 {
            let vid = frame.loadBigEndianUInt16(at: 14) & 0xfff
            if vid != 0 { result.vlan = vid }
        }
        return result
    }
}

/// Which loop a decision is made for: constants the compiler folds into `decide`'s
/// copy for that loop.
protocol ForwardingMode {
    /// Stations and ACLs exist: the frame's classification may name a station, and
    /// the ACLs and buckets are consulted.
    static var policy: Bool { get }
    /// The vector loop hashed the destination's key and prefetched its slot already
    /// (`SourceClassification.destinationHome`).
    static var lookedAhead: Bool { get }
}

/// No port has an ACL and no station a policy: the bridge alone.
enum PlainForwarding: ForwardingMode {
    static var policy: Bool { false }
    static var lookedAhead: Bool { false }
}

/// No policy; the vector loop of `forwardVectors`, after its look-ahead.
enum PlainVectorForwarding: ForwardingMode {
    static var policy: Bool { false }
    static var lookedAhead: Bool { true }
}

/// Policies exist; one frame at a time (single frames, vNIC frames).
enum PolicyForwarding: ForwardingMode {
    static var policy: Bool { true }
    static var lookedAhead: Bool { false }
}

/// Policies exist; the vector loop of `forwardVectors`, after its look-ahead.
enum VectorForwarding: ForwardingMode {
    static var policy: Bool { true }
    static var lookedAhead: Bool { true }
}
