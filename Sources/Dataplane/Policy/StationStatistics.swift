import Frames

/// One policy station's location and policy drop counters at the moment of a
/// query. (Its traffic is counted per port: counting every frame per station
/// too would dirty a line of station state per frame on the forwarding path.)
public struct StationStatistics: Hashable, Sendable {
    /// The station's address.
    public var mac: MACAddress
    /// The policy port it is located on; 0 when unknown or not on a policy port.
    public var port: Int
    /// Frames from the station dropped by its ingress shaping or rate limit.
    public var ingressPolicedDrops: UInt64
    /// Frames to the station dropped by its egress shaping or rate limit.
    public var egressPolicedDrops: UInt64
    /// Frames from or to the station denied by an ACL.
    public var aclDrops: UInt64

    /// Creates a row.
    public init(mac: MACAddress, port: Int, ingressPolicedDrops: UInt64 = 0, egressPolicedDrops: UInt64 = 0,
                aclDrops: UInt64 = 0) {
        self.mac = mac
        self.port = port
        self.ingressPolicedDrops = ingressPolicedDrops
        self.egressPolicedDrops = egressPolicedDrops
        self.aclDrops = aclDrops
    }
}
