/// A point in time on the switch clock: nanoseconds since the Unix epoch (UTC).
///
/// Wall-clock based so that capture timestamps (pcap) and live time share one scale.
/// Read once per batch on the forwarding path, hence inlinable.
@frozen
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanoseconds: Int64

    /// Creates a timestamp from nanoseconds since the epoch.
    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Creates a timestamp from whole seconds and nanoseconds since the epoch.
    @inlinable
    public init(seconds: Int64, nanoseconds: Int64 = 0) {
        self.nanoseconds = seconds &* 1_000_000_000 &+ nanoseconds
    }

    /// Whole seconds since the epoch (rounded down).
    @inlinable
    public var seconds: Int64 {
        nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds + 1) / 1_000_000_000 - 1
    }

    /// The nanoseconds within the current second, 0...999_999_999.
    @inlinable
    public var subsecondNanoseconds: Int64 { nanoseconds - seconds * 1_000_000_000 }

    /// This instant moved by `seconds` (may be fractional or negative).
    @inlinable
    public func adding(seconds: Double) -> Timestamp {
        Timestamp(nanoseconds: nanoseconds &+ Int64(seconds * 1e9))
    }

    @inlinable
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String { "\(seconds).\(String(subsecondNanoseconds + 1_000_000_000).dropFirst())" }
}
