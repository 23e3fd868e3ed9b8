/// What a station keeps outside its `StationRecord` because the forwarding path
/// reads it rarely (an ACL drop) or never (queries): the record's cache line
/// stays free for per-frame state.
struct StationColdState {
    var mac: UInt64
    /// Frames from or to the station denied by an ACL.
    var aclDrops: UInt64 = 0
    /// Frames from the station (ingress) or to it (egress) its buckets dropped.
    var ingressPolicedDrops: UInt64 = 0
    var egressPolicedDrops: UInt64 = 0
}
