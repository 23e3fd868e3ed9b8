/// A vNIC's bandwidth: one bucket each way, both at the vNIC's share of its port's
/// speed, kept as `Policer` keeps a bucket (the time it will be full again), in one
/// 32-byte record. Every vNIC has a share, so every vNIC frame is policed twice (from
/// the vNIC and towards another): a two-bucket `Policer` each way would do both
/// buckets' arithmetic and touch two records for what one bucket and one line settle.
struct VNICPolicer {
    /// When each direction's bucket will be full again (policer units).
    private var ingressDue: UInt64
    private var egressDue: UInt64
    /// The bucket's size as time, and the time a byte takes at the rate (0: no limit).
    private let depth: UInt64
    private let interval: UInt32

    /// Both buckets full at `time`; no limit when `bucket` is nil.
    init(_ bucket: Policer.Bucket?, at time: UInt64) {
        (interval, depth) = bucket.map(Policer.compile) ?? (0, 0)
        ingressDue = time
        egressDue = time
    }

    /// True when `other` has the same rate and size (its state may be carried over).
    func hasSameBucket(as other: VNICPolicer) -> Bool { interval == other.interval && depth == other.depth }

    /// Debits `length` bytes from the vNIC at `time` when its bucket holds them.
    @inline(__always)
    mutating func admitIngress(length: Int, at time: UInt64) -> Bool {
        VNICPolicer.admit(length: length, at: time, due: &ingressDue, depth: depth, interval: interval)
    }

    /// Debits `length` bytes towards the vNIC at `time` when its bucket holds them.
    @inline(__always)
    mutating func admitEgress(length: Int, at time: UInt64) -> Bool {
        VNICPolicer.admit(length: length, at: time, due: &egressDue, depth: depth, interval: interval)
    }

    /// `Policer.admit` for one bucket (no limit: interval and depth 0, never a debt).
    @inline(__always)
    private static func admit(length: Int, at time: UInt64, due: inout UInt64, depth: UInt64, interval: UInt32) -> Bool {
        let debt = Policer.debt(due, at: time, depth: depth) &+ UInt64(truncatingIfNeeded: length) &* UInt64(interval)
        guard debt <= depth else { return false }
        due = time &+ debt
        return true
    }
}
