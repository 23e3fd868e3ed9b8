/// The token buckets of one direction of one station: a committed and a peak
/// bucket (from `Shaping`) and a limit bucket (from `RateLimit`), each present
/// when its rate is not 0. A frame conforms when every present bucket holds its
/// length; then every present bucket is debited.
///
/// Integer arithmetic only, in units where refilling is one multiplication: a
/// rate of R kbit/s adds R × elapsed-ns units, so a byte is 8,000,000 units
/// (8 bits / (1000 bits/s × 1e-9 s/ns)). The three buckets share one refill
/// time, since they are always refilled together. 64 bytes: one cache line.
struct Policer {
    /// Units per byte of tokens: `rate (kbit/s) × ns` units make `rate × ns / 8e6` bytes.
    static let unitsPerByte: Int64 = 8_000_000
    /// Longest idle time credited at once. The largest bucket (4096 kbytes) at the
    /// slowest rate (64 kbit/s) fills in 537 s, so no refill is lost; and
    /// 10,000,000 kbit/s × 6e11 ns stays far below `Int64.max`.
    static let maximumElapsed: Int64 = 600_000_000_000

    /// When the buckets were last refilled (switch time, ns).
    private var lastRefill: Int64
    private var committedTokens: Int64
    private var peakTokens: Int64
    private var limitTokens: Int64
    /// Bucket sizes in bytes (at most 4 MiB, so 32 bits suffice).
    private let committedCapacity: Int32
    private let peakCapacity: Int32
    private let limitCapacity: Int32
    /// kbit/s; 0 = the bucket is not configured.
    private let committedRate: Int32
    private let peakRate: Int32
    private let limitRate: Int32
    /// Frames this direction dropped for lack of tokens.
    var drops: UInt64 = 0

    /// Buckets for `shaping` and `limit`, full at `now`.
    init(shaping: Shaping?, limit: RateLimit?, now: Int64) {
        lastRefill = now
        committedRate = Int32(clamping: shaping?.averageKbps ?? 0)
        committedCapacity = Int32(clamping: (shaping?.burstKBytes ?? 0) * 1024)
        peakRate = Int32(clamping: shaping?.peakKbps ?? 0)
        // A peak bucket holds a millisecond at the peak rate, and at least one full frame.
        peakCapacity = Int32(clamping: shaping.map { max(1600, $0.peakKbps / 8) } ?? 0)
        limitRate = Int32(clamping: limit?.rateKbps ?? 0)
        limitCapacity = Int32(clamping: (limit?.burstKBytes ?? 0) * 1024)
        committedTokens = Int64(committedCapacity) * Policer.unitsPerByte
        peakTokens = Int64(peakCapacity) * Policer.unitsPerByte
        limitTokens = Int64(limitCapacity) * Policer.unitsPerByte
    }

    /// True when at least one bucket is configured.
    var isConfigured: Bool { committedRate != 0 || peakRate != 0 || limitRate != 0 }

    /// True when `other` has the same rates and sizes (its tokens may be carried over).
    func hasSameBuckets(as other: Policer) -> Bool {
        committedRate == other.committedRate && committedCapacity == other.committedCapacity
            && peakRate == other.peakRate && peakCapacity == other.peakCapacity
            && limitRate == other.limitRate && limitCapacity == other.limitCapacity
    }

    /// Refills to `now`, then debits `length` bytes when every configured bucket holds
    /// them. Time going backwards (a replayed capture) refills nothing.
    /// - Returns: false, counting a drop and debiting nothing, when a bucket is short.
    @inline(__always)
    mutating func admit(length: Int, now: Int64) -> Bool {
        if now > lastRefill {
            let elapsed = min(now &- lastRefill, Policer.maximumElapsed)
            lastRefill = now
            // Branches rather than arithmetic on absent buckets: a station's buckets
            // are the same frame after frame, so they predict perfectly.
            if committedRate != 0 {
                committedTokens = Policer.refill(committedTokens, rate: committedRate, capacity: committedCapacity,
                                                 elapsed: elapsed)
            }
            if peakRate != 0 {
                peakTokens = Policer.refill(peakTokens, rate: peakRate, capacity: peakCapacity, elapsed: elapsed)
            }
            if limitRate != 0 {
                limitTokens = Policer.refill(limitTokens, rate: limitRate, capacity: limitCapacity, elapsed: elapsed)
            }
        }
        let cost = Int64(length) &* Policer.unitsPerByte
        guard committedRate == 0 || committedTokens >= cost, peakRate == 0 || peakTokens >= cost,
              limitRate == 0 || limitTokens >= cost else {
            drops &+= 1
            return false
        }
        if committedRate != 0 { committedTokens &-= cost }
        if peakRate != 0 { peakTokens &-= cost }
        if limitRate != 0 { limitTokens &-= cost }
        return true
    }

    @inline(__always)
    private static func refill(_ tokens: Int64, rate: Int32, capacity: Int32, elapsed: Int64) -> Int64 {
        min(tokens &+ Int64(rate) &* elapsed, Int64(capacity) &* unitsPerByte)
    }
}
