import SwitchTypes

/// Up to two token buckets of one direction of one station. A direction has a
/// committed and a peak bucket (from `Shaping`) and a limit bucket (from
/// `RateLimit`), each present when its rate is not 0; `buckets(shaping:limit:)`
/// lists the present ones, a policer holds the first two and, rarely, a second
/// policer the third. A frame conforms when every present bucket holds its
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
/// about depth / 2⁶⁴.) 40 bytes: with the rest of a `StationRecord`, one cache line.
struct Policer {
    /// One bucket's rate and size, as configured.
    struct Bucket: Equatable {
        var rateKbps: Int
        var bytes: Int
    }

    /// Time units per nanosecond, as a shift.
    static let unitShift: UInt64 = 15
    /// Units per byte at 1 kbit/s: 8 bits / 1000 bit/s = 8e6 ns, in units.
    private static let unitsPerByteAtOneKbps: UInt64 = 8_000_000 << unitShift

    /// When each bucket will be full again (units).
    private var firstDue: UInt64
    private var secondDue: UInt64
    /// Each bucket's size as time (bytes × interval, units); 0 = absent.
    private let firstDepth: UInt64
    private let secondDepth: UInt64
    /// Units each bucket's rate takes per byte; 0 = absent.
    private let firstInterval: UInt32
    private let secondInterval: UInt32

    /// `nanoseconds` of switch time in the policers' units (wrapping).
    @inline(__always)
    static func time(nanoseconds: Int64) -> UInt64 { UInt64(bitPattern: nanoseconds) &<< unitShift }

    /// The present buckets of `shaping` and `limit`, in order: committed, peak, limit.
    /// Rates are at least 64 kbit/s and buckets at most 4 MiB (see `Shaping`, `RateLimit`).
    static func buckets(shaping: Shaping?, limit: RateLimit?) -> [Bucket] {
        var buckets: [Bucket] = []
        if let shaping {
            buckets.append(Bucket(rateKbps: shaping.averageKbps, bytes: shaping.burstKBytes * 1024))
            // A peak bucket holds a millisecond at the peak rate, and at least one full frame.
            buckets.append(Bucket(rateKbps: shaping.peakKbps, bytes: max(1600, shaping.peakKbps / 8)))
        }
        if let limit { buckets.append(Bucket(rateKbps: limit.rateKbps, bytes: limit.burstKBytes * 1024)) }
        return buckets.filter { $0.rateKbps > 0 }
    }

    /// A policer holding (the first two of) `buckets`, full at `time`.
    init(_ buckets: some Collection<Bucket>, at time: UInt64) {
        let first = buckets.first.map(Policer.compile) ?? (0, 0)
        let second = buckets.dropFirst().first.map(Policer.compile) ?? (0, 0)
        (firstInterval, firstDepth) = first
        (secondInterval, secondDepth) = second
        firstDue = time
        secondDue = time
    }

    /// A bucket's interval (rounded) and depth.
    static func compile(_ bucket: Bucket) -> (UInt32, UInt64) {
        let rate = UInt64(bucket.rateKbps)
        let interval = UInt32(clamping: (unitsPerByteAtOneKbps + rate / 2) / rate)
        return (interval, UInt64(max(0, bucket.bytes)) * UInt64(interval))
    }

    /// True when at least one bucket is configured.
    var isConfigured: Bool { firstInterval != 0 || secondInterval != 0 }

    /// True when `other` has the same rates and sizes (its state may be carried over).
    func hasSameBuckets(as other: Policer) -> Bool {
        firstInterval == other.firstInterval && firstDepth == other.firstDepth
            && secondInterval == other.secondInterval && secondDepth == other.secondDepth
    }

    /// Debits `length` bytes at `time` (policer units, never earlier than a
    /// previous call's) when every configured bucket holds them.
    /// - Returns: false, debiting nothing, when a bucket is short.
    @inline(__always)
    mutating func admit(length: Int, at time: UInt64) -> Bool {
        let bytes = UInt64(truncatingIfNeeded: length)
        let first = Policer.debt(firstDue, at: time, depth: firstDepth) &+ bytes &* UInt64(firstInterval)
        let second = Policer.debt(secondDue, at: time, depth: secondDepth) &+ bytes &* UInt64(secondInterval)
        guard first <= firstDepth, second <= secondDepth else { return false }
        firstDue = time &+ first
        secondDue = time &+ second
        return true
    }

    /// `admit` over this policer's buckets and `more`'s together (a direction's
    /// third bucket): both hold the frame, or neither is debited.
    mutating func admit(length: Int, at time: UInt64, with more: inout Policer) -> Bool {
        var trial = self
        guard trial.admit(length: length, at: time), more.admit(length: length, at: time) else { return false }
        self = trial
        return true
    }

    /// How long the bucket needs at `time` to be full again: 0 when `due` is past
    /// (or, deeper than the bucket, from before a wrap of the clock).
    @inline(__always)
    static func debt(_ due: UInt64, at time: UInt64, depth: UInt64) -> UInt64 {
        let debt = due &- time
        return debt > depth ? 0 : debt
    }
}
