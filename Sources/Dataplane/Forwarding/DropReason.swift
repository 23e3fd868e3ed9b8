/// Why a received frame was dropped. Every received frame is forwarded,
/// flooded, filtered, punted, or dropped for one of these reasons.
public enum DropReason: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Too short for an Ethernet header, a cut-off VLAN tag, or longer than
    /// `ForwardingPipeline.maximumFrameLength`.
    case malformed
    /// The ingress port is shut down.
    case portDown
    /// Tagged with a VLAN the port is not a member of (or VID 4095), or
    /// untagged on a port whose access/native VLAN it cannot carry.
    case vlanNotAllowed
    /// Known unicast whose port cannot take it (a static entry pointing at a
    /// port that is down or outside the VLAN).
    case destinationUnavailable
    /// Denied by an access-control list (the ingress port's, or a station policy's).
    case aclDeny
    /// Over a station policy's shaping or rate limit (ingress or egress token buckets).
    case rateLimited
    /// To be punted (link-local or a registered EtherType) while the punt ring was
    /// full, or longer than a punt slot (`FrameSlots.frameCapacity`): the control
    /// plane is behind, and forwarding does not wait for it.
    case puntOverflow
    /// On a port with enabled vNICs (switch mode), a frame without the S-tag of one
    /// of them: an S-VID not assigned, or no S-tag at all.
    case svidNotAssigned

    /// Name used in counters output.
    public var description: String {
        switch self {
        case .malformed: "malformed"
        case .portDown: "port-down"
        case .vlanNotAllowed: "vlan-not-allowed"
        case .destinationUnavailable: "destination-unavailable"
        case .aclDeny: "acl-deny"
        case .rateLimited: "rate-limited"
        case .puntOverflow: "punt-overflow"
        case .svidNotAssigned: "svid-not-assigned"
        }
    }
}
