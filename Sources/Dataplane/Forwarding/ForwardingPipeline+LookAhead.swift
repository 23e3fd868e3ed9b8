import CPrefetch

/// The policy path's batch processing: classification a vector of frames
/// ahead of forwarding, so that each frame's policy state is in cache when it
/// is forwarded.
extension ForwardingPipeline {
    /// Frames per vector of `forwardVectors`: enough that the loads started for a
    /// frame have landed when it is forwarded, few enough that what they bring
    /// stays in L1.
    static let vectorSize = 32

    /// Forwards a batch a vector at a time in two passes, as VPP does. The first
    /// classifies each frame (its source's station and its VLAN, which needs the
    /// station's slot only) and starts loading what forwarding it will touch:
    /// the station's record and ingress policer and the two MAC table slots. The
    /// second forwards the frames with that classification. Each frame's chain
    /// of dependent loads (station slot, then MAC entry and record) thus overlaps
    /// the other frames' work instead of being waited for, and nothing is looked
    /// up twice.
    ///
    /// The classification is exact: it depends on the station table and the
    /// ports' untagged VLANs, which change only between batches. The MAC table
    /// does change within a vector (earlier frames learn and move stations), so
    /// forwarding looks its slots up again; the look-ahead only loaded them.
    func forwardVectors(_ batch: FrameBatch) {
        var start = 0
        while start < batch.count {
            let end = min(start &+ ForwardingPipeline.vectorSize, batch.count)
            for index in start..<end {
                let (frame, port) = batch[index]
                guard frame.count >= ParsedFrame.headerLength, port >= 1, port <= portCount else { continue }
                let source = classify(frame, port: port)
                vectorClassifications[index &- start] = source
                prefetch(frame, source)
            }
            for index in start..<end {
                let (frame, port) = batch[index]
                guard receive(frame, ingressPort: port) else { continue }
                forwardWithPolicy(frame, ingressPort: port, vectorClassifications[index &- start])
            }
            start = end
        }
    }

    /// Starts loading the source station's record and ingress policer (when its
    /// policy applies and polices) and the MAC table slots forwarding will probe.
    @inline(__always)
    private func prefetch(_ frame: UnsafeRawBufferPointer, _ source: SourceClassification) {
        let lookup = stationLookup
        if source.flags & StationRecord.onPolicyPort != 0 {
            vmready_prefetch_for_write(lookup.records + source.station)
            if source.flags & StationRecord.ingressPolicing != 0 {
                vmready_prefetch_for_write(lookup.policers + 2 &* source.station)
            }
        }
        guard source.vlan != 0 else { return }
        let sourceMAC = MACAddress(loadingFrom: frame, atOffset: 6)
        if !sourceMAC.isMulticast { macTable.prefetch(key: MACTableSlot.key(mac: sourceMAC, vlan: source.vlan)) }
        let destination = MACAddress(loadingFrom: frame, atOffset: 0)
        if !destination.isMulticast { macTable.prefetch(key: MACTableSlot.key(mac: destination, vlan: source.vlan)) }
    }
}
