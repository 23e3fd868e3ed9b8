/// `virt vmpolicy vmbwidth ... txrate|rxrate RATE BURST`: one token bucket.
public struct RateLimit: Hashable, Sendable {
    /// Multiples of 64 kbit/s, 64...10,000,000.
    public static let rateRange = 64...10_000_000
    public static let burstRange = 1...4096

    /// kbit/s.
    public var rateKbps: Int
    /// kbytes (1 kbyte = 1024 bytes).
    public var burstKBytes: Int

    public init(rateKbps: Int, burstKBytes: Int) {
        self.rateKbps = rateKbps
        self.burstKBytes = burstKBytes
    }
}
