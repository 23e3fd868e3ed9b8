/// A profile's `shaping AVG BURST PEAK`: a committed bucket filling at `averageKbps`
/// holding `burstKBytes`, and a peak bucket filling at `peakKbps`. A frame passes
/// only when both buckets hold its size.
public struct Shaping: Hashable, Sendable {
    public static let rateRange = 64...10_000_000
    public static let burstRange = 1...4096

    /// kbit/s.
    public var averageKbps: Int
    /// kbytes (1 kbyte = 1024 bytes).
    public var burstKBytes: Int
    /// kbit/s, at least `averageKbps`.
    public var peakKbps: Int

    public init(averageKbps: Int, burstKBytes: Int, peakKbps: Int) {
        self.averageKbps = averageKbps
        self.burstKBytes = burstKBytes
        self.peakKbps = peakKbps
    }
}
