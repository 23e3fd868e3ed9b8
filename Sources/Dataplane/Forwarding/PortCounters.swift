import SwitchTypes

/// One port's (or vNIC's) counters at the moment of a snapshot.
///
/// Ingress accounting is complete: `rxFrames` equals
/// `forwarded + flooded + filtered + punted + toVNIC + dropped`.
public struct PortCounters: Hashable, Sendable {
    /// The port, 1-based (a vNIC's: the physical port it is on).
    public var port: Int
    /// The vNIC index for a vNIC's counters, nil for a physical port's.
    public var vnic: Int?
    /// Frames received.
    public var rxFrames: UInt64 = 0
    /// Bytes received.
    public var rxBytes: UInt64 = 0
    /// Frames sent.
    public var txFrames: UInt64 = 0
    /// Bytes sent.
    public var txBytes: UInt64 = 0
    /// Received known unicast sent to its one port.
    public var forwarded: UInt64 = 0
    /// Received unknown unicast, broadcast or multicast sent to the VLAN's other ports.
    public var flooded: UInt64 = 0
    /// Received known unicast whose destination is behind the ingress port itself.
    public var filtered: UInt64 = 0
    /// Received link-local (01:80:c2:00:00:0x) frames, and frames of an EtherType
    /// in `BridgeConfiguration.puntEtherTypes`, handed to the control plane.
    public var punted: UInt64 = 0
    /// Frames the switch itself sent here (`ForwardingEngine.transmit`); also in `txFrames`.
    public var originated: UInt64 = 0
    /// Frames for this port that `ForwardingEngine.transmit` refused (queue full, bad length).
    public var originateRefused: UInt64 = 0
    /// Received frames dropped, by reason.
    public var drops: [DropReason: UInt64] = [:]
    /// Frames for this port that its device could not take (ring full, send error),
    /// and originated frames for it while it was disabled.
    public var txDropped: UInt64 = 0
    /// Source addresses received here and not learned because the MAC table was
    /// full and nothing could be evicted (see `MACTable+Eviction`).
    public var learningRefused: UInt64 = 0
    /// Source addresses received here and not learned because the port held its
    /// `mac-address-table limit ... port` entries.
    public var portLimitRefused: UInt64 = 0
    /// MAC entries of this port evicted to make room in a full table.
    public var macEvicted: UInt64 = 0

    /// Received with the S-tag of one of the port's vNICs and handed to it (counted
    /// again there, as the vNIC's `rxFrames`). Always 0 for a vNIC.
    public var toVNIC: UInt64 = 0
    /// Frames for this vNIC over its bandwidth (its egress buckets), not sent.
    public var txRateLimited: UInt64 = 0
    /// Received frames the XDP fast path forwarded in the kernel: part of `rxFrames` and
    /// `forwarded`, and never seen by the switch's userspace path.
    public var fastPathRxFrames: UInt64 = 0
    /// Frames the XDP fast path sent here in the kernel: part of `txFrames`.
    public var fastPathTxFrames: UInt64 = 0
    /// Frames the XDP fast path sent here that the interface refused (a veth whose peer has
    /// neither GRO nor an XDP program): part of `txDropped`. From the first, the kernel
    /// forwards nothing more to the port; its frames take the userspace path.
    public var fastPathTxRefused: UInt64 = 0

    /// Zeroed counters for `port`, or for its vNIC `vnic`.
    public init(port: Int, vnic: Int? = nil) {
        self.port = port
        self.vnic = vnic
    }

    /// "1" or "1.2".
    public var bridgePort: BridgePort { BridgePort(port: port, vnic: vnic) }

    /// All received frames dropped, whatever the reason.
    public var dropped: UInt64 { drops.values.reduce(0, +) }

    /// Received frames with a recorded fate; equals `rxFrames`.
    public var accounted: UInt64 { forwarded + flooded + filtered + punted + toVNIC + dropped }
}
