import Frames
import SwitchTypes

/// Frames of ports with vNIC business (`VNICLayout`): where the S-tag is stripped
/// and pushed, vNIC groups, io-extender ports and their upstreams. `receive` sends
/// such a port's frames here, after counting them and taking the control plane's
/// (so LLDP and CDCP stay the physical port's); every other port never comes here.
extension ForwardingPipeline {
    /// A frame received on a port in `plan.vnicPorts`.
    @inline(never)
    func receiveOnVNICPort(_ frame: UnsafeRawBufferPointer, port: Int) {
        switch vnics.kind(of: port) {
        case .switchMode: receiveFromVNIC(frame, port: port)
        case .ioExtender: extendToUpstream(frame, port: port)
        case .upstream: receiveOnUpstream(frame, port: port)
        case .groupUplink: forwardInGroup(frame, ingressPort: port, vlan: vnics.groupVLAN(of: port))
        case .plain: forwardReceived(frame, ingressPort: port)
        }
    }

    /// The VID of the frame's outer S-tag, nil without one.
    @inline(__always)
    private func serviceVID(_ frame: UnsafeRawBufferPointer) -> UInt16? {
        guard frame.count >= 18, frame.loadBigEndianUInt16(at: 12) == EtherType.serviceVLAN else { return nil }
        return frame.loadBigEndianUInt16(at: 14) & 0xfff
    }

    /// Switch mode: the S-tag names the vNIC; the frame, without it, is received on the
    /// vNIC's bridge port. Anything else is not the port's to send.
    private func receiveFromVNIC(_ frame: UnsafeRawBufferPointer, port: Int) {
        guard let svid = serviceVID(frame), let route = vnics.route(port: port, svid: svid) else {
            return drop(.svidNotAssigned, port: port)
        }
        counters.add(.toVNIC, port: port)
        let number = Int(route.number)
        let length = frame.count &- 4
        counters.add(.rxFrames, port: number)
        counters.add(.rxBytes, port: number, UInt64(length))
        guard vnics.ingress[number].admit(length: length, at: policingTime) else {
            return drop(.rateLimited, port: number)
        }
        let group = vnics.groupVLAN(of: number)
        if group == 0, !policyActive, forwardBetweenVNICs(frame, from: number) { return }
        let stripped = strip(frame)
        vnicIngressOriginal = frame
        defer { vnicIngressOriginal = UnsafeRawBufferPointer(start: nil, count: 0) }
        if group != 0 { return forwardInGroup(stripped, ingressPort: number, vlan: group) }
        forwardReceived(stripped, ingressPort: number)
    }

    /// Switch mode's common case, known unicast from a vNIC to a vNIC whose inner frame
    /// leaves as it came (C-tag kept, or untagged both sides), done on the S-tagged frame
    /// itself: the inner frame is never copied out, and the copy that leaves is the
    /// received one with the other vNIC's S-VID. Does what `forwardReceived` would, in
    /// the same order (learning, then the lookup), and any other destination the way it
    /// would. Returns false, having changed nothing, for a frame it does not classify
    /// (priority-tagged, double S-tagged, not carried, multicast): the general path takes it.
    @inline(__always)
    private func forwardBetweenVNICs(_ frame: UnsafeRawBufferPointer, from number: Int) -> Bool {
        let innerType = frame.loadBigEndianUInt16(at: 16)
        let innerTagged = innerType == EtherType.vlan
        let vlan: UInt16
        if innerTagged {
            guard frame.count >= 22 else { return false }
            vlan = frame.loadBigEndianUInt16(at: 18) & 0xfff
            guard vlan != 0 else { return false }
        } else {
            guard innerType != EtherType.serviceVLAN else { return false }
            vlan = plan.untaggedVLAN(of: number)
        }
        let destination = MACAddress(loadingFrom: frame, atOffset: 0)
        guard vlan != 0, plan.isMember(number, of: vlan), !destination.isMulticast else { return false }

        // From here on the frame is this path's.
        let source = MACAddress(loadingFrom: frame, atOffset: 6)
        if source.rawValue != 0, !source.isMulticast {
            let result = macTable.learn(key: MACTableSlot.key(mac: source, vlan: vlan),
                                        port: UInt16(truncatingIfNeeded: number), nowSeconds: nowSeconds)
            switch result {
            case .refreshed, .staticEntry:
                break
            case .learned:
                notifyLearned(source, vlan: vlan, port: number, previousPort: nil, frame: strip(frame))
            case .moved(let previous):
                notifyLearned(source, vlan: vlan, port: number, previousPort: previous, frame: strip(frame))
            case .tableFull:
                counters.add(.learningRefused, port: number)
            case .portLimit:
                counters.add(.portLimitRefused, port: number)
            }
        }
        let target = macTable.lookup(key: MACTableSlot.key(mac: destination, vlan: vlan), nowSeconds: nowSeconds)
        if target > portCount, target != number, plan.isEnabled(target), plan.isMember(target, of: vlan),
           (plan.untaggedMembers(of: vlan) & ForwardingPlan.bit(target) == 0) == innerTagged {
            counters.add(.forwarded, port: number)
            _ = sendReceived(frame, toVNIC: target)
            return true
        }
        // Anything else (a port, a flood, another inner form): as `forwardReceived` goes on.
        let stripped = strip(frame)
        vnicIngressOriginal = frame
        defer { vnicIngressOriginal = UnsafeRawBufferPointer(start: nil, count: 0) }
        var output = EgressForms(original: stripped, tagged: innerTagged,
                                 ingressTCI: innerTagged ? stripped.loadBigEndianUInt16(at: 14) : 0, vlan: vlan)
        bridge(&output, destination: destination, from: number)
        return true
    }

    /// The frame without its S-tag, in `vnicIngressScratch`.
    @inline(__always)
    private func strip(_ frame: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
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
        guard vnics.egress[number].admit(length: length, at: policingTime) else {
            counters.add(.txRateLimited, port: number)
            return 0
        }
        let out = vnicEgressScratch.baseAddress!
        copyFrameBytes(to: out, from: frame.baseAddress!, count: frame.count)
        out.storeBytes(of: vnics.svid(of: number).bigEndian, toByteOffset: 14, as: UInt16.self)
        return transmit(UnsafeRawBufferPointer(start: out, count: frame.count), to: vnics.parent(of: number),
                        vnic: number, vnicLength: length)
    }

    /// A vNIC group's member or uplink: the frame is in the group's VLAN whatever
    /// its tags, which are payload here; it goes only to the group's other ports.
    /// (No ACL or station policy applies inside a group: it is a tunnel.)
    func forwardInGroup(_ frame: UnsafeRawBufferPointer, ingressPort port: Int, vlan: UInt16) {
        let destination = MACAddress(loadingFrom: frame, atOffset: 0)
        learnSource(MACAddress(loadingFrom: frame, atOffset: 6), vlan: vlan, port: port, frame: frame)
        var output = EgressForms(original: frame, tagged: false, ingressTCI: 0, vlan: vlan)
        bridge(&output, destination: destination, from: port)
    }

    /// The form of a frame for vNIC bridge port `number` (its C-tag handling done by
    /// `send`), with the vNIC's S-tag pushed (PCP 0, DEI 0), out of its physical port,
    /// within the vNIC's bandwidth.
    /// - Returns: the bytes sent, 0 when none.
    @inline(never)
    func sendToVNIC(_ frame: UnsafeRawBufferPointer, number: Int) -> Int {
        let length = frame.count
        guard vnics.egress[number].admit(length: length, at: policingTime) else {
            counters.add(.txRateLimited, port: number)
            return 0
        }
        let svid = vnics.svid(of: number)
        let original = vnicIngressOriginal
        let out = vnicEgressScratch.baseAddress!
        let input = frame.baseAddress!
        if input == UnsafeRawPointer(vnicIngressScratch.baseAddress!), original.count == length &+ 4 {
            // The received vNIC frame, inner tags unchanged (vNIC to vNIC): the frame as it
            // came, with this vNIC's S-VID (copied even when the same: a branch on it would
            // mispredict more than the copy costs).
            copyFrameBytes(to: out, from: original.baseAddress!, count: length &+ 4)
        } else {
            if length >= 16 {
                out.storeBytes(of: input.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
            } else {
                out.storeBytes(of: input.loadUnaligned(as: UInt64.self), as: UInt64.self)
                out.storeBytes(of: input.loadUnaligned(fromByteOffset: 8, as: UInt32.self), toByteOffset: 8,
                               as: UInt32.self)
            }
            out.storeBytes(of: EtherType.serviceVLAN.bigEndian, toByteOffset: 12, as: UInt16.self)
            copyFrameBytes(to: out + 16, from: input + 12, count: length &- 12)
        }
        out.storeBytes(of: svid.bigEndian, toByteOffset: 14, as: UInt16.self)
        return transmit(UnsafeRawBufferPointer(start: out, count: length &+ 4), to: vnics.parent(of: number),
                        vnic: number, vnicLength: length)
    }

    /// Sends `frame` out of physical `port` as it is, counting it there and on `vnic`
    /// (a bridge port number, 0 for none) as `vnicLength` bytes.
    @inline(__always)
    private func transmit(_ frame: UnsafeRawBufferPointer, to port: Int, vnic: Int, vnicLength: Int) -> Int {
        guard egress.transmit(frame, port: port) else {
            counters.add(.txDropped, port: port)
            if vnic != 0 { counters.add(.txDropped, port: vnic) }
            return 0
        }
        counters.add(.txFrames, port: port)
        counters.add(.txBytes, port: port, UInt64(frame.count))
        if vnic != 0 {
            counters.add(.txFrames, port: vnic)
            counters.add(.txBytes, port: vnic, UInt64(vnicLength))
        }
        return frame.count
    }

    /// I/O-extender mode: everything the port receives leaves its upstream unchanged.
    /// A frame with one of its vNICs' S-tags is counted and metered as the vNIC's.
    private func extendToUpstream(_ frame: UnsafeRawBufferPointer, port: Int) {
        let upstream = vnics.upstream(of: port)
        var vnic = 0
        if let svid = serviceVID(frame), let route = vnics.route(port: port, svid: svid) {
            vnic = Int(route.number)
            counters.add(.toVNIC, port: port)
            counters.add(.rxFrames, port: vnic)
            counters.add(.rxBytes, port: vnic, UInt64(frame.count))
            guard vnics.ingress[vnic].admit(length: frame.count, at: policingTime) else {
                return drop(.rateLimited, port: vnic)
            }
        }
        let accountable = vnic != 0 ? vnic : port
        guard plan.isEnabled(upstream) else { return drop(.destinationUnavailable, port: accountable) }
        counters.add(.forwarded, port: accountable)
        _ = transmit(frame, to: upstream, vnic: 0, vnicLength: 0)
    }

    /// The upstream of io-extender ports: a frame with the S-tag of one of their vNICs
    /// goes back to that port unchanged; any other is the upstream's own.
    private func receiveOnUpstream(_ frame: UnsafeRawBufferPointer, port: Int) {
        guard let svid = serviceVID(frame), let route = vnics.route(port: port, svid: svid) else {
            return forwardReceived(frame, ingressPort: port)
        }
        let target = Int(route.port)
        guard plan.isEnabled(target) else { return drop(.destinationUnavailable, port: port) }
        counters.add(.forwarded, port: port)
        let vnic = Int(route.number)
        guard vnics.egress[vnic].admit(length: frame.count, at: policingTime) else {
            counters.add(.txRateLimited, port: vnic)
            return
        }
        _ = transmit(frame, to: target, vnic: vnic, vnicLength: frame.count)
    }

    /// Copies `count` bytes between two buffers that do not overlap, in 16-byte moves
    /// (the last one overlapping the one before) when the frame is short: most are, and
    /// a call to memmove costs more than such a copy.
    @inline(__always)
    private func copyFrameBytes(to destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
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

    /// After a change of the vNICs, a bridge port number naming another vNIC than
    /// before starts afresh: its learned entries and counters were the other's.
    func forgetRenumberedPorts(old: BridgeConfiguration, new: BridgeConfiguration) {
        let before = old.bridgePorts
        let after = new.bridgePorts
        guard before != after else { return }
        for number in (portCount + 1)...BridgeConfiguration.maximumPorts {
            let was = number <= before.count ? before[number - 1] : nil
            let now = number <= after.count ? after[number - 1] : nil
            guard was != now else { continue }
            macTable.removeDynamic { _, port in port == number }
            counters.reset(port: number)
        }
    }
}
