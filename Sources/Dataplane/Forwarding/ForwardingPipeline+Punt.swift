import Frames
import SwitchTypes

/// The seam between the dataplane and the control plane (protocols.md, "The seam
/// in the dataplane"). Punt: a frame to 01:80:c2:00:00:00-0f, or of a registered
/// EtherType, belongs to its port, not to a VLAN; `receive` takes it before
/// classification and copies it into `punts`. Inject: `originate` sends a frame
/// the control plane made out of one port, as it is.
extension ForwardingPipeline {
    /// True when the frame goes to the control plane: a link-local destination, or
    /// a registered EtherType (after one 802.1Q tag, if tagged). One load and
    /// compare for the address, one bit of `puntTypes` for the EtherType. The frame
    /// holds at least an Ethernet header.
    @inline(__always)
    func isPunted(_ frame: UnsafeRawBufferPointer) -> Bool {
        if MACAddress(loadingFrom: frame, atOffset: 0).isLinkLocalReserved { return true }
        var type = frame.loadBigEndianUInt16(at: 12)
        if type == EtherType.vlan, frame.count >= 18 { type = frame.loadBigEndianUInt16(at: 16) }
        return puntTypes[Int(type &>> 6)] & (1 &<< UInt64(type & 63)) != 0
    }

    /// Copies a received frame into the punt ring, or counts `punt-overflow` when
    /// the ring is full (the control plane is behind; forwarding does not wait).
    /// Kept out of line: the forwarding path only pays for the test.
    @inline(never)
    func punt(_ frame: UnsafeRawBufferPointer, port: Int) {
        guard punts.push(frame, port: port, time: now) else { return drop(.puntOverflow, port: port) }
        counters.add(.punted, port: port)
        puntListener?()
    }

    /// Rebuilds `puntTypes` from the configuration's registered EtherTypes.
    func compilePuntTypes(_ types: Set<UInt16>) {
        puntTypes.update(repeating: 0, count: ForwardingPipeline.puntTypeWords)
        for type in types { puntTypes[Int(type >> 6)] |= 1 << UInt64(type & 63) }
    }

    /// Sends a frame the control plane made out of `port`, untouched (no VLAN
    /// processing, no learning), counted as `originated` and as sent. A disabled
    /// port sends it only when `evenIfDisabled` (LLDP's shutdown frame); otherwise it
    /// is counted as `txDropped`.
    /// - Returns: true when the port's device took it.
    @discardableResult
    public func originate(_ frame: UnsafeRawBufferPointer, port: Int, evenIfDisabled: Bool = false) -> Bool {
        guard port >= 1, port <= portCount else { return false }
        guard evenIfDisabled || plan.isEnabled(port), egress.transmit(frame, port: port) else {
            counters.add(.txDropped, port: port)
            return false
        }
        counters.add(.originated, port: port)
        counters.add(.txFrames, port: port)
        counters.add(.txBytes, port: port, UInt64(frame.count))
        return true
    }

    /// Sends every frame waiting in `queue` (see `originate`). Between batches on
    /// the thread owning the pipeline, which is the queue's one consumer.
    /// - Returns: how many frames were taken from the queue.
    @discardableResult
    public func originateQueued(from queue: TransmitQueue) -> Int {
        guard !queue.isEmpty else { return 0 }
        return queue.drain { frame, port, evenIfDisabled in
            originate(frame, port: port, evenIfDisabled: evenIfDisabled)
        }
    }
}
