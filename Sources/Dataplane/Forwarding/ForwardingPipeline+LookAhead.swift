import Frames

/// The policy path's batch processing: classification a vector of frames
/// ahead of forwarding, so that each frame's policy state is in cache when it
/// is forwarded.
extension ForwardingPipeline {
    /// Frames per vector of `forwardVectors`: enough that the loads started for a
    /// frame have landed when it is forwarded, few enough that what they bring
    /// stays in L1.
    static let vectorSize = 32

    /// `forwardVectors`' plain copy. Each copy is a function of its own: inlined
    /// side by side into one, they outgrow what the optimizer inlines into a single
    /// function, and the small calls of the per-frame path stay calls.
    @inline(never)
    func forwardPlainVectors(_ batch: FrameBatch) { forwardVectors(batch, PlainVectorForwarding.self) }

    /// `forwardVectors`' policy copy (see `forwardPlainVectors`).
    @inline(never)
    func forwardPolicyVectors(_ batch: FrameBatch) { forwardVectors(batch, VectorForwarding.self) }

    /// Forwards a batch a vector at a time in two passes, as VPP does. The first
    /// classifies each frame (its source's station and its VLAN, which needs the
    /// station's slot only) and starts loading what forwarding it will touch:
    /// the station's record (its ingress buckets included) and the destination's
    /// MAC table slot, and the source's unless it is a station (a station's own
    /// entry is rarely probed: see `StationRecord.isEntryCurrent`); then, when
    /// some station has egress buckets, the state of destination stations with
    /// them, from their slots' tags. The second forwards the frames with that
    /// classification, through `decide`'s vector copy. Each frame's chain
    /// of dependent loads (station slot, then MAC entry and record) thus overlaps
    /// the other frames' work instead of being waited for, and nothing is looked
    /// up twice.
    ///
    /// The classification is exact: it depends on the station table and the
    /// ports' untagged VLANs, which change only between batches. The MAC table
    /// does change within a vector (earlier frames learn and move stations), so
    /// forwarding looks its slots up again; the look-ahead only loaded them.
    ///
    /// Without policies (`PlainVectorForwarding`) the classification is the VLAN
    /// alone and the look-ahead loads the destination's and the source's slots:
    /// the plain loop's two cache misses per frame overlap a vector's worth of
    /// frames instead of stalling each frame in turn.
    @inline(always)
    func forwardVectors<Mode: ForwardingMode>(_ batch: FrameBatch, _ mode: Mode.Type) {
        // Locals, not properties: the loops store as they go, which would make
        // the compiler reload every property after each store.
        let lookup = stationLookup
        let macs = macTable.prefetcher
        let classifications = vectorClassifications
        let vnicFrames = vectorVNICs
        let ports = UInt(portCount)
        let vnicPorts = plan.vnicPorts
        let count = batch.count
        var start = 0
        while start < count {
            let end = min(start &+ ForwardingPipeline.vectorSize, count)
            for index in start..<end {
                let (frame, port) = batch.frame(unchecked: index)
                // Frames `receive` turns away are never forwarded: nothing to classify.
                guard frame.count >= ParsedFrame.headerLength, UInt(bitPattern: port &- 1) < ports else { continue }
                // A vNIC's frame is forwarded by its own path, not from this classification.
                if !Mode.policy, vnicPorts & ForwardingPlan.bit(port) != 0 {
                    vnicFrames[index &- start] = lookAheadVNICFrame(frame, port: port, macs,
                                                                    into: &classifications[index &- start])
                    continue
                }
                var source = classify(frame, port: port, lookup, Mode.self)
                if Mode.policy, source.flags & StationRecord.onPolicyPort != 0 { lookup.prefetchRecord(of: source.station) }
                let vlan = UInt64(source.vlan) &<< 48
                let home = macs.prefetch(key: vlan | MACAddress(loadingFrom: frame, atOffset: 0).rawValue)
                source.destinationHome = UInt32(truncatingIfNeeded: home)
                classifications[index &- start] = source
                // Only a station's record remembers its entry: other sources are learned through the table.
                if source.station < 0 { macs.prefetch(key: vlan | MACAddress(loadingFrom: frame, atOffset: 6).rawValue) }
            }
            // The destinations' slots have arrived by now: their tags name the
            // destination stations with egress buckets, whose records forwarding reads.
            for index in 0..<(Mode.policy && lookup.hasEgressPolicing ? end &- start : 0) {
                let tag = macs.stationTag(at: Int(classifications[index].destinationHome))
                let station = Int(tag &>> 1) &- 1
                if tag & StationTable.egressPolicingBit != 0, UInt(bitPattern: station) < UInt(bitPattern: lookup.indexCount) {
                    lookup.prefetchEgressState(of: station)
                }
            }
            for index in start..<end {
                let (frame, port) = batch.frame(unchecked: index)
                guard accept(frame, ingressPort: port) else { continue }
                if vnicPorts & ForwardingPlan.bit(port) != 0 {
                    // A switch-mode vNIC's frame the look-ahead classified goes straight to the
                    // vNIC's path; any other takes the port's (and every one with policies).
                    let vnic = Mode.policy ? 0 : Int(vnicFrames[index &- start])
                    if vnic != 0 {
                        receiveLookedAhead(frame, port: port, vnic: vnic, classifications[index &- start])
                    } else {
                        receiveOnVNICPort(frame, port: port)
                    }
                    continue
                }
                decide(frame, ingressPort: port, classifications[index &- start], lookup, Mode.self)
            }
            start = end
        }
    }
}
