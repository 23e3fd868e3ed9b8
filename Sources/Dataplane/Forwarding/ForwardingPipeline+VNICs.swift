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
        case .plain: forwardOutOfLine(frame, ingressPort: port)
        }
    }

    /// `forwardReceived` as a call. Everything but switch mode's common case leaves
    /// `receiveOnVNICPort` through a call: inlined there, the other paths made it too
    /// large for the optimizer to inline the common case's own small helpers.
    @inline(never)
    func forwardOutOfLine(_ frame: UnsafeRawBufferPointer, ingressPort port: Int) {
        forwardReceived(frame, ingressPort: port)
    }

    /// The VID of the frame's outer S-tag, nil without one.
    @inline(__always)
    func serviceVID(_ frame: UnsafeRawBufferPointer) -> UInt16? {
        guard frame.count >= 18, frame.loadBigEndianUInt16(at: 12) == EtherType.serviceVLAN else { return nil }
        return frame.loadBigEndianUInt16(at: 14) & 0xfff
    }

    /// Switch mode: the S-tag names the vNIC; the frame, without it, is received on the
    /// vNIC's bridge port. Anything else is not the port's to send. Inlined into
    /// `receiveOnVNICPort`: one call per vNIC frame, not two.
    @inline(always)
    private func receiveFromVNIC(_ frame: UnsafeRawBufferPointer, port: Int) {
        guard let svid = serviceVID(frame), let route = vnics.route(port: port, svid: svid) else {
            return drop(.svidNotAssigned, port: port)
        }
        receiveOnVNIC(frame, port: port, vnic: Int(route.number), lookedAhead: nil)
    }

    /// `receiveFromVNIC` for a frame the vector loop's look-ahead classified
    /// (`lookAheadVNICFrame`): its vNIC, VLAN and destination slot are known already.
    @inline(never)
    func receiveLookedAhead(_ frame: UnsafeRawBufferPointer, port: Int, vnic: Int, _ classification: SourceClassification) {
        receiveOnVNIC(frame, port: port, vnic: vnic,
                      lookedAhead: (classification.vlan, Int(classification.destinationHome)))
    }

    /// A switch-mode vNIC's frame, S-tag still on, received by bridge port `number`.
    @inline(always)
    private func receiveOnVNIC(_ frame: UnsafeRawBufferPointer, port: Int, vnic number: Int,
                               lookedAhead: (vlan: UInt16, home: Int)?) {
        counters.add(.toVNIC, port: port)
        let length = frame.count &- 4
        counters.add(.rxFrames, port: number)
        counters.add(.rxBytes, port: number, UInt64(length))
        guard vnics.admitIngress(number, length: length, at: policingTime) else {
            return drop(.rateLimited, port: number)
        }
        let group = vnics.groupVLAN(of: number)
        if group == 0, !policyActive, forwardBetweenVNICs(frame, from: number, lookedAhead: lookedAhead) { return }
        forwardStripped(frame, from: number, group: group)
    }

    /// A switch-mode vNIC's frame the fast path does not take, without its S-tag, from
    /// vNIC bridge port `number` (in vNIC group `group`'s VLAN, 0 = none).
    @inline(never)
    private func forwardStripped(_ frame: UnsafeRawBufferPointer, from number: Int, group: UInt16) {
        let stripped = strip(frame)
        vnicIngressOriginal = frame
        defer { vnicIngressOriginal = UnsafeRawBufferPointer(start: nil, count: 0) }
        if group != 0 { return forwardInGroup(stripped, ingressPort: number, vlan: group) }
        forwardReceived(stripped, ingressPort: number)
    }

    /// A vNIC group's member or uplink: the frame is in the group's VLAN whatever
    /// its tags, which are payload here; it goes only to the group's other ports.
    /// (No ACL or station policy applies inside a group: it is a tunnel.)
    @inline(never)
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
        guard vnics.admitEgress(number, length: length, at: policingTime) else {
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
        return transmitVNICFrame(UnsafeRawBufferPointer(start: out, count: length &+ 4), to: vnics.parent(of: number),
                        vnic: number, vnicLength: length)
    }

    /// Sends `frame` out of physical `port` as it is, counting it there and on `vnic`
    /// (a bridge port number, 0 for none) as `vnicLength` bytes.
    @inline(__always)
    func transmitVNICFrame(_ frame: UnsafeRawBufferPointer, to port: Int, vnic: Int, vnicLength: Int) -> Int {
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
    @inline(never)
    private func extendToUpstream(_ frame: UnsafeRawBufferPointer, port: Int) {
        let upstream = vnics.upstream(of: port)
        var vnic = 0
        if let svid = serviceVID(frame), let route = vnics.route(port: port, svid: svid) {
            vnic = Int(route.number)
            counters.add(.toVNIC, port: port)
            counters.add(.rxFrames, port: vnic)
            counters.add(.rxBytes, port: vnic, UInt64(frame.count))
            guard vnics.admitIngress(vnic, length: frame.count, at: policingTime) else {
                return drop(.rateLimited, port: vnic)
            }
        }
        let accountable = vnic != 0 ? vnic : port
        guard plan.isEnabled(upstream) else { return drop(.destinationUnavailable, port: accountable) }
        counters.add(.forwarded, port: accountable)
        _ = transmitVNICFrame(frame, to: upstream, vnic: 0, vnicLength: 0)
    }

    /// The upstream of io-extender ports: a frame with the S-tag of one of their vNICs
    /// goes back to that port unchanged; any other is the upstream's own.
    @inline(never)
    private func receiveOnUpstream(_ frame: UnsafeRawBufferPointer, port: Int) {
        guard let svid = serviceVID(frame), let route = vnics.route(port: port, svid: svid) else {
            return forwardReceived(frame, ingressPort: port)
        }
        let target = Int(route.port)
        guard plan.isEnabled(target) else { return drop(.destinationUnavailable, port: port) }
        counters.add(.forwarded, port: port)
        let vnic = Int(route.number)
        guard vnics.admitEgress(vnic, length: frame.count, at: policingTime) else {
            counters.add(.txRateLimited, port: vnic)
            return
        }
        _ = transmitVNICFrame(frame, to: target, vnic: vnic, vnicLength: frame.count)
    }

    /// Every configured vNIC's counters, in port then index order.
    public func vnicCounters() -> [PortCounters] {
        vnics.vnicNumbers.map { number in
            let name = vnics.name(of: number)
            var result = counters.counters(port: number)
            result.port = name.port
            result.vnic = name.vnic
            result.macEvicted = macTable.evictedCount(port: number)
            return result
        }
    }

    /// vNIC `vnic`'s counters, nil when it is not configured.
    public func counters(vnic: BridgePort) -> PortCounters? {
        guard vnic.isVNIC, let number = configuration.bridgePortNumber(of: vnic) else { return nil }
        var result = counters.counters(port: number)
        result.port = vnic.port
        result.vnic = vnic.vnic
        result.macEvicted = macTable.evictedCount(port: number)
        return result
    }

    /// Zeroes vNIC `vnic`'s counters (nothing when it is not configured).
    public func clearCounters(vnic: BridgePort) {
        guard vnic.isVNIC, let number = configuration.bridgePortNumber(of: vnic) else { return }
        counters.reset(port: number)
        macTable.resetCounters(port: number)
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
