/// Text forms of MAC addresses and OUIs: accepted as `xx:xx:xx:xx:xx:xx`,
/// `xx-xx-xx-xx-xx-xx` or `xxxx.xxxx.xxxx`, always shown lower-case with colons.
public enum MACFormat {
    static let macPatterns = ["hh:hh:hh:hh:hh:hh", "hh-hh-hh-hh-hh-hh", "hhhh.hhhh.hhhh"]
    static let ouiPatterns = ["hh:hh:hh", "hh-hh-hh"]

    public static func parse(_ s: String) -> UInt64? {
        parse(s, patterns: macPatterns)
    }

    public static func parseOUI(_ s: String) -> UInt32? {
        parse(s, patterns: ouiPatterns).map { UInt32($0) }
    }

    public static func string(_ v: UInt64) -> String {
        (0..<6).map { hexByte(UInt8(truncatingIfNeeded: v >> (8 * (5 - $0)))) }.joined(separator: ":")
    }

    public static func ouiString(_ v: UInt32) -> String {
        (0..<3).map { hexByte(UInt8(truncatingIfNeeded: v >> (8 * (2 - $0)))) }.joined(separator: ":")
    }

    static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xf)]])
    }

    /// True when `s` could still grow into a valid address (for `?` and TAB).
    static func isPrefix(_ s: String, ofAny patterns: [String]) -> Bool {
        patterns.contains { fits(s, $0, whole: false) }
    }

    static func parse(_ s: String, patterns: [String]) -> UInt64? {
        guard patterns.contains(where: { fits(s, $0, whole: true) }) else { return nil }
        var v: UInt64 = 0
        for c in s.utf8 {
            if let d = hexValue(c) { v = v << 4 | UInt64(d) }
        }
        return v
    }

    private static func fits(_ s: String, _ pattern: String, whole: Bool) -> Bool {
        let a = Array(s.utf8), p = Array(pattern.utf8)
        if a.count > p.count || (whole && a.count != p.count) { return false }
        for (c, q) in zip(a, p) {
            if q == UInt8(ascii: "h") {
                if hexValue(c) == nil { return false }
            } else if c != q {
                return false
            }
        }
        return true
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Dotted-quad IPv4 text.
public enum IPv4Format {
    public static func parse(_ s: String) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard (1...3).contains(p.count), DecimalText.isCanonical(p), let n = UInt32(p), n <= 255
            else { return nil }
            v = v << 8 | n
        }
        return v
    }

    static func isPrefix(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 4 else { return false }
        for (i, p) in parts.enumerated() {
            if p.isEmpty { if i == parts.count - 1 && i > 0 { continue } else { return false } }
            guard p.count <= 3, DecimalText.isCanonical(p), let n = Int(p), n <= 255 else { return false }
        }
        return true
    }

    public static func string(_ v: UInt32) -> String {
        "\(v >> 24).\(v >> 16 & 0xff).\(v >> 8 & 0xff).\(v & 0xff)"
    }
}

/// Port lists such as `1-4,7`: shown compressed into ranges, ascending.
public enum PortListFormat {
    /// Larger than any switch we build; the handler checks against the real port count.
    public static let maxPort = 4096

    public static func parse(_ s: String, max: Int = maxPort) -> [Int]? {
        guard !s.isEmpty else { return nil }
        var ports = Set<Int>()
        for item in s.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count) else { return nil }
            var bounds: [Int] = []
            for e in ends {
                guard e.count <= 4, DecimalText.isCanonical(e), let n = Int(e),
                      (1...max).contains(n) else { return nil }
                bounds.append(n)
            }
            guard bounds[0] <= bounds[bounds.count - 1] else { return nil }
            ports.formUnion(bounds[0]...bounds[bounds.count - 1])
        }
        return ports.sorted()
    }

    static func isPrefix(_ s: String) -> Bool {
        s.utf8.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "-") }
    }

    public static func string(_ ports: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < ports.count {
            var j = i
            while j + 1 < ports.count && ports[j + 1] == ports[j] + 1 { j += 1 }
            parts.append(i == j ? "\(ports[i])" : "\(ports[i])-\(ports[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}

/// One vNIC, `P.I` (port P, vNIC index I), as `member 1.2` names it. The bounds are the
/// largest the bridge has (64 bridge ports, 4 vNICs a port); the handler checks that the
/// port and vNIC exist.
public enum VNICFormat {
    public static let maxPort = 64
    public static let maxIndex = 4

    public static func parse(_ s: String) -> (port: Int, index: Int)? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count <= 2 && DecimalText.isCanonical($0) }),
              let port = Int(parts[0]), let index = Int(parts[1]),
              (1...maxPort).contains(port), (1...maxIndex).contains(index) else { return nil }
        return (port, index)
    }

    /// Whether more typing could make `s` a vNIC: digits, then at most a dot and one digit.
    static func isPrefix(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count <= 2, first.allSatisfy(\.isASCIIDigit) else { return false }
        return parts.count == 1 || (parts.count == 2 && parts[1].isEmpty)
    }
}

/// Numbers as the configuration writes them: decimal digits, no sign, no leading zero.
/// `vlan 0010`, `vlan +10` and `198.18.010.1` (octal to inet_aton) are refused rather than
/// read as something the operator may not have meant.
public enum DecimalText {
    public static func isCanonical<S: StringProtocol>(_ s: S) -> Bool {
        guard let first = s.first, s.allSatisfy(\.isASCIIDigit) else { return false }
        return first != "0" || s.count == 1
    }

    /// An integer, with an optional `-` for ranges that go below zero.
    public static func integer(_ s: String) -> Int? {
        let digits = s.hasPrefix("-") ? s.dropFirst() : s[...]
        guard isCanonical(digits), !(s.hasPrefix("-") && digits == "0") else { return nil }
        return Int(s)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
