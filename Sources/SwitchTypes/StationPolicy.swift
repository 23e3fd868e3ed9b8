/// Policy bound to one station (a VM's MAC) rather than to a port: it follows the
/// station to whichever policy port it is learned on. The VM layer computes these
/// from VM groups and profiles; the dataplane knows nothing of VMs.
///
/// On a port in the dataplane's `BridgeConfiguration.stationPolicyPorts` where the station is
/// learned, the dataplane
/// - makes the port a member of `vlan` (tagged when `tagged`, else untagged; a port
///   whose own configuration already carries `vlan` keeps its own tagging), and
///   removes that membership when the last station needing it leaves the port;
/// - classifies the station's untagged frames into `vlan` when not `tagged`;
/// - polices the station's frames with `ingressShaping` and `ingressLimit`
///   (traffic the station sends) and frames to it with `egressShaping` and
///   `egressLimit` (traffic it receives), one set of token buckets per station;
/// - applies `acls` (ascending) to frames from and to the station, after the
///   ingress port's own ACLs, which win when both match.
public struct StationPolicy: Hashable, Sendable {
    /// The station's VLAN; 0 = none (the port's own VLANs apply).
    public var vlan: UInt16 = 0
    /// The station tags its own frames with `vlan`; the port carries it tagged.
    public var tagged = false
    /// Profile `shaping`: frames the station sends.
    public var ingressShaping: Shaping?
    /// Profile `eshaping`: frames sent to the station.
    public var egressShaping: Shaping?
    /// `vmbwidth txrate`: frames the station sends.
    public var ingressLimit: RateLimit?
    /// `vmbwidth rxrate`: frames sent to the station.
    public var egressLimit: RateLimit?
    /// ACL numbers applied to the station's traffic, ascending.
    public var acls: [Int] = []
    /// Where the control side last saw the station, used until the dataplane learns
    /// it itself (its own learning is fresher and wins).
    public var locationHint: Int?

    public init(vlan: UInt16 = 0, tagged: Bool = false, ingressShaping: Shaping? = nil,
                egressShaping: Shaping? = nil, ingressLimit: RateLimit? = nil, egressLimit: RateLimit? = nil,
                acls: [Int] = [], locationHint: Int? = nil) {
        self.vlan = vlan
        self.tagged = tagged
        self.ingressShaping = ingressShaping
        self.egressShaping = egressShaping
        self.ingressLimit = ingressLimit
        self.egressLimit = egressLimit
        self.acls = acls
        self.locationHint = locationHint
    }
}
