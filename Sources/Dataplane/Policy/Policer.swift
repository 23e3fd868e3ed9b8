/// The token buckets of one direction of one station: a committed and a peak
/// bucket (from `Shaping`) and a limit bucket (from `RateLimit`), each present
/// when its rate is not 0. A frame conforms when every present bucket holds its
/// length; then every present bucket is debited.
///
/// Kept as the generic cell rate algorithm (virtual scheduling), which is the
/// same bucket seen from the clock: instead of its tokens, a bucket keeps its
/// debt, the time it needs to fill up again, as the time `due` when it will
/// be full. A frame of n bytes adds n × `interval` (the time the rate takes to
/// send a byte) and conforms when the debt stays within `depth` (the time the
/// rate takes to fill the whole bucket). That is a subtraction, a multiply and
/// a compare per bucket, with no refill arithmetic and no branch: an absent
/// bucket has interval and depth 0, so it never holds a debt.
///
/// Time is in units of 2⁻¹⁵ ns (`time(nanoseconds:)`), fine enough that a byte
/// at 10 Gbit/s lasts 26,214 units (rates are exact to 1 in 50,000), coarse
/// enough that a byte at 64 kbit/s (4.1e9 units) fits 32 bits. Arithmetic
/// wraps, every 6.5 days of switch time: a due time in the past reads as a
/// debt deeper than the bucket, which no admitted frame can make, so it means
/// a full bucket. (A bucket idle for a whole number of wraps, to within its
/// depth, starts that once with at most its own depth of debt: a chance of
/// about depth / 2⁶⁴.) 48 bytes: with the rest of a `StationRecord`, one cache line.
struct Policer {
    /// Time units per nanosecond, as a shift.
    static let unitShift: UInt64 = 15
    /// Units per byte at 1 kbit/s: 8 bits / 1000 bit/s = 8e6 ns, in units.
    private static let unitsPerByteAtOneKbps: UInt64 = 8_000_000 << unitShift

    /// When each bucket will be full again (units).
    private var committedDue: UInt64 = 0
    private var peakDue: UInt64 = 0
    private var limitDue: UInt64 = 0
    /// Each bucket's size in bytes (at most 4 MiB); its depth is size × interval.
    private let committedSize: UInt32
    private let peakSize: UInt32
    private let limitSize: UInt32
    /// Units the bucket's rate takes per byte; 0 = absent.
    private let committedInterval: UInt32
    private let peakInterval: UInt32
    private let limitInterval: UInt32

    /// `nanoseconds` of switch time in the policers' units (wrapping).
    @inline(__always)
    static func time(nanoseconds: Int64) -> UInt64 { UInt64(bitPattern: nanoseconds) &<< unitShift }

    /// Buckets for `shaping` and `limit`, full at `time`.
    init(shaping: Shaping?, limit: RateLimit?, at time: UInt64) {
        committedDue = time
        peakDue = time
        limitDue = time
        // A peak bucket holds a millisecond at the peak rate, and at least one full frame.
        let peakBytes = shaping.map { max(1600, $0.peakKbps / 8) } ?? 0
        (committedInterval, committedSize) = Policer.bucket(rateKbps: shaping?.averageKbps ?? 0,
                                                            bytes: (shaping?.burstKBytes ?? 0) * 1024)
        (peakInterval, peakSize) = Policer.bucket(rateKbps: shaping?.peakKbps ?? 0, bytes: peakBytes)
        (limitInterval, limitSize) = Policer.bucket(rateKbps: limit?.rateKbps ?? 0,
                                                    bytes: (limit?.burstKBytes ?? 0) * 1024)
    }

    /// A bucket's interval (rounded) and size; (0, 0) for rate 0. Rates are at
    /// least 64 kbit/s and buckets at most 4 MiB (see `Shaping`, `RateLimit`).
    private static func bucket(rateKbps: Int, bytes: Int) -> (UInt32, UInt32) {
        guard rateKbps > 0 else { return (0, 0) }
        let rate = UInt64(rateKbps)
        return (UInt32(clamping: (unitsPerByteAtOneKbps + rate / 2) / rate), UInt32(clamping: bytes))
    }

    /// True when at least one bucket is configured.
    var isConfigured: Bool { committedInterval != 0 || peakInterval != 0 || limitInterval != 0 }

    /// True when `other` has the same rates and sizes (its state may be carried over).
    func hasSameBuckets(as other: Policer) -> Bool {
        committedInterval == other.committedInterval && committedSize == other.committedSize
            && peakInterval == other.peakInterval && peakSize == other.peakSize
            && limitInterval == other.limitInterval && limitSize == other.limitSize
    }

    /// Debits `length` bytes at `time` (policer units, never earlier than a
    /// previous call's) when every configured bucket holds them.
    /// - Returns: false, debiting nothing, when a bucket is short.
    @inline(__always)
    mutating func admit(length: Int, at time: UInt64) -> Bool {
        let bytes = UInt64(truncatingIfNeeded: length)
        let committedDepth = UInt64(committedSize) &* UInt64(committedInterval)
        let peakDepth = UInt64(peakSize) &* UInt64(peakInterval)
        let limitDepth = UInt64(limitSize) &* UInt64(limitInterval)
        let committed = Policer.debt(committedDue, at: time, depth: committedDepth) &+ bytes &* UInt64(committedInterval)
        let peak = Policer.debt(peakDue, at: time, depth: peakDepth) &+ bytes &* UInt64(peakInterval)
        let limit = Policer.debt(limitDue, at: time, depth: limitDepth) &+ bytes &* UInt64(limitInterval)
        guard committed <= committedDepth, peak <= peakDepth, limit <= limitDepth else { return false }
        committedDue = time &+ committed
        peakDue = time &+ peak
        limitDue = time &+ limit
        return true
    }

    /// How long the bucket needs at `time` to be full again: 0 when `due` is past
    /// (or, deeper than the bucket, from before a wrap of the clock).
    @inline(__always)
    private static func debt(_ due: UInt64, at time: UInt64, depth: UInt64) -> UInt64 {
        let debt = due &- time
        return debt > depth ? 0 : debt
    }
}
