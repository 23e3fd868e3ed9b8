/// An IPv4 address held as a `UInt32` in host order (first octet most significant).
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address value; `0` is 0.0.0.0.
    public let rawValue: UInt32

    /// 0.0.0.0, shown for a station whose address is not yet known.
    public static let zero = IPv4Address(rawValue: 0)

    /// Creates an address from its 32-bit value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Creates an address from four octets, e.g. `IPv4Address(198, 18, 0, 1)`.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text such as `198.18.0.1`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.utf8.count),
                  part.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.rawValue = value
    }

    /// Dotted-quad form.
    public var description: String {
        "\(rawValue >> 24).\(rawValue >> 16 & 0xff).\(rawValue >> 8 & 0xff).\(rawValue & 0xff)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.rawValue < rhs.rawValue }
}
