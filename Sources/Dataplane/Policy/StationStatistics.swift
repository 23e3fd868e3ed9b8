/// One policy station's counters at the moment of a query (`show virt vm`,
/// bandwidth drops per VM).
public struct StationStatistics: Hashable, Sendable {
    /// The station's address.
    public var mac: MACAddress
    /// The policy port it is located on; 0 when unknown or not on a policy port.
    public var port: Int
    /// Frames and bytes received from the station on a policy port (dropped ones included).
    public var rxFrames: UInt64
    public var rxBytes: UInt64
    /// Known unicast frames and bytes sent to the station (flooded frames are not counted).
    public var txFrames: UInt64
    public var txBytes: UInt64
    /// Frames from the station dropped by its ingress shaping or rate limit.
    public var ingressPolicedDrops: UInt64
    /// Frames to the station dropped by its egress shaping or rate limit.
    public var egressPolicedDrops: UInt64
    /// Frames from or to the station denied by an ACL.
    public var aclDrops: UInt64

    /// Creates a row.
    public init(mac: MACAddress, port: Int, rxFrames: UInt64 = 0, rxBytes: UInt64 = 0, txFrames: UInt64 = 0,
                txBytes: UInt64 = 0, ingressPolicedDrops: UInt64 = 0, egressPolicedDrops: UInt64 = 0,
                aclDrops: UInt64 = 0) {
        self.mac = mac
        self.port = port
        self.rxFrames = rxFrames
        self.rxBytes = rxBytes
        self.txFrames = txFrames
        self.txBytes = txBytes
        self.ingressPolicedDrops = ingressPolicedDrops
        self.egressPolicedDrops = egressPolicedDrops
        self.aclDrops = aclDrops
    }
}
