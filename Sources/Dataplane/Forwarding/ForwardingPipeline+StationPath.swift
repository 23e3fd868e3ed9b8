import Frames

/// The policy path's common case, taken straight from the vector loop: a
/// station on a policy port sends an untagged frame to a known unicast
/// destination on another port, from where the station was already learned this
/// second. That is nearly every frame of VM traffic, and for it most of
/// `forwardWithPolicy`'s decisions are settled before any work: no tag to check
/// or rewrite, no learning, no flooding. What remains is the destination's
/// lookup, the ACLs, the buckets and the send.
extension ForwardingPipeline {
    /// Forwards the frame when it is the common case, doing what
    /// `forwardWithPolicy` would do with it, and returns true. Returns false,
    /// having changed nothing, for any other frame: `forwardWithPolicy` then
    /// takes it. The frame was received (see `receive`) from a station whose
    /// policy applies on `port` (`source.flags` has `onPolicyPort`).
    @inline(always)
    func forwardFromStation(_ frame: UnsafeRawBufferPointer, ingressPort port: Int, _ source: SourceClassification,
                            _ stations: StationLookup) -> Bool {
        let vlan = source.vlan
        // Compared as loaded (big-endian): any tag sends the frame the general way.
        let rawType = frame.loadUnaligned(fromByteOffset: 12, as: UInt16.self)
        guard vlan != 0, rawType != EtherType.vlan.bigEndian, rawType != EtherType.serviceVLAN.bigEndian else {
            return false
        }
        // Unicast only: that also rules out the link-local group addresses.
        let destination = MACAddress(loadingFrom: frame, atOffset: 0)
        guard !destination.isMulticast else { return false }
        let record = stations.records + source.station
        let second = nowSeconds
        // Learning it again would change nothing (see `StationRecord.isEntryCurrent`).
        guard record.pointee.isEntryCurrent(StationRecord.entryStamp(vlan: vlan, port: port, second: second),
                                            epoch: macTable.epoch) else {
            return false
        }
        // The lookup only removes an expired entry, which `forwardWithPolicy` would too.
        // The look-ahead hashed the same key (MAC and VLAN) for its prefetch.
        let found = macTable.lookupWithStationTag(key: MACTableSlot.key(mac: destination, vlan: vlan),
                                                  home: Int(source.destinationHome), nowSeconds: second)
        let target = found.port
        guard target != 0, target != port, plan.isEnabled(target), plan.isMember(target, of: vlan) else {
            return false
        }
        // The destination's station (its policy applies on a policy port only) is
        // looked at for its egress buckets, which the slot's tag tells of, and for
        // its ACLs when the source's do not decide: most frames never read it.
        let tag = stations.isPolicyPort(target) ? found.stationTag : 0

        // The frame is this path's from here on.
        if stationFrameDenied(frame, etherType: UInt16(bigEndian: rawType), destination: destination, port: port,
                              source, destinationTag: tag, stations) {
            let destinationStation = stations.station(tag: tag, mac: destination.rawValue) ?? -1
            countACLDrop(source, destinationStation: destinationStation, stations)
            drop(.aclDeny, port: port)
            return true
        }
        let length = frame.count
        if source.flags & StationRecord.ingressPolicing != 0,
           !stations.admitFrom(source.station, flags: source.flags, length: length, at: policingTime) {
            stations.cold[source.station].ingressPolicedDrops &+= 1
            drop(.rateLimited, port: port)
            return true
        }
        var destinationStation = -1
        if tag & StationTable.egressPolicingBit != 0 {
            destinationStation = stations.station(tag: tag, mac: destination.rawValue) ?? -1
        }
        var output = EgressForms(original: frame, tagged: false, ingressTCI: 0, vlan: vlan)
        deliver(&output, from: port, to: target, length: length, destinationStation: destinationStation, stations)
        return true
    }
}
