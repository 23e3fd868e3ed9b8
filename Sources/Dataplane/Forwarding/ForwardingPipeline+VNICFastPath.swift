import Frames

/// Switch mode's common case and the copies vNIC frames need (see
/// ForwardingPipeline+VNICs): known unicast from a vNIC to a vNIC is forwarded on the
/// S-tagged frame as received, so `dataplane.vnic_switch_mode_64B` stays near
/// `dataplane.l2_vlan_tagged_64B`. `VNICFastPathTests` holds it to the general path.
extension ForwardingPipeline {
    /// Switch mode's common case, known unicast from a vNIC to a vNIC whose inner frame
    /// leaves as it came (C-tag kept, or untagged both sides), done on the S-tagged frame
    /// itself: the inner frame is never copied out, and the copy that leaves is the
    /// received one with the other vNIC's S-VID. Does what `forwardReceived` would, in
    /// the same order (learning, then the lookup), and any other destination the way it
    /// would. Returns false, having changed nothing, for a frame it does not classify
    /// (priority-tagged, double S-tagged, not carried, multicast): the general path takes it.
    /// `lookedAhead` is the frame's VLAN and destination slot when the vector loop's
    /// look-ahead worked them out (`lookAheadVNICFrame`) and started that slot loading.
    @inline(always)
    func forwardBetweenVNICs(_ frame: UnsafeRawBufferPointer, from number: Int,
                             lookedAhead: (vlan: UInt16, home: Int)?) -> Bool {
        let vlan = lookedAhead?.vlan ?? innerVLAN(frame, vnic: number)
        let innerTagged = frame.loadBigEndianUInt16(at: 16) == EtherType.vlan
        let destination = MACAddress(loadingFrom: frame, atOffset: 0)
        guard vlan != 0, plan.isMember(number, of: vlan), !destination.isMulticast else { return false }

        // From here on the frame is this path's. The destination's slot loads while learning
        // waits for the source's (as in `forwardReceived`), unless the look-ahead did it.
        let key = MACTableSlot.key(mac: destination, vlan: vlan)
        if lookedAhead == nil { macTable.prefetcher.prefetch(key: key) }
        learnSource(MACAddress(loadingFrom: frame, atOffset: 6), vlan: vlan, port: number, frame: strip(frame))
        let target = if let lookedAhead { macTable.lookupWithStationTag(key: key, home: lookedAhead.home,
                                                                        nowSeconds: nowSeconds).port }
                     else { macTable.lookup(key: key, nowSeconds: nowSeconds) }
        if target > portCount, target != number, plan.isEnabled(target), plan.isMember(target, of: vlan),
           (plan.untaggedMembers(of: vlan) & ForwardingPlan.bit(target) == 0) == innerTagged {
            counters.add(.forwarded, port: number)
            _ = sendReceived(frame, toVNIC: target)
            return true
        }
        bridgeStripped(frame, from: number, vlan: vlan, innerTagged: innerTagged)
        return true
    }

    /// The VLAN of a switch-mode vNIC's frame as `forwardBetweenVNICs` takes it: its
    /// C-tag's VID, or vNIC bridge port `number`'s untagged VLAN; 0 for a frame that path
    /// does not classify (a priority tag, a second S-tag, a C-tag cut short).
    @inline(__always)
    func innerVLAN(_ frame: UnsafeRawBufferPointer, vnic number: Int) -> UInt16 {
        let innerType = frame.loadBigEndianUInt16(at: 16)
        if innerType == EtherType.vlan {
            return frame.count >= 22 ? frame.loadBigEndianUInt16(at: 18) & 0xfff : 0
        }
        return innerType == EtherType.serviceVLAN ? 0 : plan.untaggedVLAN(of: number)
    }

    /// The rest of `forwardBetweenVNICs` for any other destination (a port, a flood,
    /// another inner form): as `forwardReceived` goes on, out of line (see
    /// `forwardOutOfLine`).
    @inline(never)
    private func bridgeStripped(_ frame: UnsafeRawBufferPointer, from number: Int, vlan: UInt16, innerTagged: Bool) {
        let stripped = strip(frame)
        vnicIngressOriginal = frame
        defer { vnicIngressOriginal = UnsafeRawBufferPointer(start: nil, count: 0) }
        var output = EgressForms(original: stripped, tagged: innerTagged,
                                 ingressTCI: innerTagged ? stripped.loadBigEndianUInt16(at: 14) : 0, vlan: vlan)
        bridge(&output, destination: MACAddress(loadingFrom: frame, atOffset: 0), from: number)
    }

    /// The plain look-ahead's part for a frame of a port with vNIC business: a switch-mode
    /// vNIC's frame that `forwardBetweenVNICs` classifies gets its VLAN and destination home
    /// slot in `classification`, and the MAC table slots that path will probe (source and
    /// destination) start loading. Returns the vNIC's bridge port number, 0 for any other
    /// frame (the port's own path takes it, from scratch).
    @inline(always)
    func lookAheadVNICFrame(_ frame: UnsafeRawBufferPointer, port: Int, _ macs: MACTablePrefetcher,
                            into classification: inout SourceClassification) -> UInt8 {
        guard vnics.kind(of: port) == .switchMode, let svid = serviceVID(frame),
              let route = vnics.route(port: port, svid: svid) else { return 0 }
        let vlan = innerVLAN(frame, vnic: Int(route.number))
        guard vlan != 0 else { return 0 }
        let key = UInt64(vlan) &<< 48
        classification.vlan = vlan
        classification.destinationHome = UInt32(truncatingIfNeeded:
            macs.prefetch(key: key | MACAddress(loadingFrom: frame, atOffset: 0).rawValue))
        macs.prefetch(key: key | MACAddress(loadingFrom: frame, atOffset: 6).rawValue)
        return route.number
    }

    /// The frame without its S-tag, in `vnicIngressScratch`.
    @inline(__always)
    func strip(_ frame: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        // The addresses in one 16-byte move (the S-tag it also copies is overwritten), then
        // everything after the S-tag (at least a type: the S-tag was whole). One move for the
        // addresses lets the loads of them that follow be served from it.
        let length = frame.count &- 4
        let inner = vnicIngressScratch.baseAddress!
        let source = frame.baseAddress!
        inner.storeBytes(of: source.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
        copyFrameBytes(to: inner + 12, from: source + 16, count: length &- 12)
        return UnsafeRawBufferPointer(start: inner, count: length)
    }

    /// A received vNIC frame (S-tagged) out to vNIC bridge port `number` as it came, with
    /// that vNIC's S-tag, within its bandwidth.
    @inline(__always)
    private func sendReceived(_ frame: UnsafeRawBufferPointer, toVNIC number: Int) -> Int {
        let length = frame.count &- 4
        guard vnics.admitEgress(number, length: length, at: policingTime) else {
            counters.add(.txRateLimited, port: number)
            return 0
        }
        // The received frame itself leaves, with the other vNIC's S-VID written over its own
        // for the send and put back after it (a send copies the frame before it returns;
        // the frame is the switch's own memory: a batch, `forward`'s copy, or a UMEM frame lent
        // to the batch and not yet given back to the kernel): no copy of
        // the frame per vNIC hop.
        let tci = UnsafeMutableRawPointer(mutating: frame.baseAddress!) + 14
        let received = tci.loadUnaligned(as: UInt16.self)
        tci.storeBytes(of: vnics.svid(of: number).bigEndian, as: UInt16.self)
        defer { tci.storeBytes(of: received, as: UInt16.self) }
        return transmitVNICFrame(frame, to: vnics.parent(of: number), vnic: number, vnicLength: length)
    }

    /// Copies `count` bytes between two buffers that do not overlap, in 16-byte moves
    /// (the last one overlapping the one before) when the frame is short: most are, and
    /// a call to memmove costs more than such a copy.
    @inline(__always)
    func copyFrameBytes(to destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
        guard count >= 16, count <= 256 else { return destination.copyMemory(from: source, byteCount: count) }
        var offset = 0
        while offset &+ 16 < count {
            destination.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self),
                                   toByteOffset: offset, as: SIMD16<UInt8>.self)
            offset &+= 16
        }
        let last = count &- 16
        destination.storeBytes(of: source.loadUnaligned(fromByteOffset: last, as: SIMD16<UInt8>.self),
                               toByteOffset: last, as: SIMD16<UInt8>.self)
    }
}
