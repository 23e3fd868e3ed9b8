/// What the policy path works out about a frame from its source and ingress
/// port alone, before forwarding it: the source's station and the frame's VLAN.
/// The look-ahead of `forwardVectors` computes it a vector of frames ahead.
struct SourceClassification {
    /// The source's station index, -1 when it has no policy.
    var station: Int
    /// The VLAN the frame belongs to, 0 = none (the frame is dropped).
    var vlan: UInt16
    /// The station's `StationSlot` flags plus `StationRecord.onPolicyPort` when its
    /// policy applies here (the ingress port is a policy port); 0 otherwise.
    var flags: UInt16
    /// Where the MAC table's probe for the frame's destination starts (set by the
    /// look-ahead, which prefetches the destination's station record from there).
    var destinationHome: UInt32 = 0
}
