/// The rule for every name the policy database holds (profiles, VM names as keys): what the
/// switch's CLI accepts as a word, so a profile from the database can be shown and named.
public enum PolicyNames {
    public static let maximumLength = 32

    /// 1-32 of letters, digits, `-`, `_`, `.`, starting with a letter or digit (ASCII).
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...maximumLength).contains(bytes.count), isAlphanumeric(bytes[0]) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Why `name` is not valid, or nil.
    public static func problem(_ name: String, what: String) -> String? {
        isValid(name) ? nil : "\(what) \"\(printable(name))\" is not 1-32 letters, digits, '-', '_' or '.' starting with a letter or digit"
    }

    /// `text` with control characters escaped and cut to 64 characters: row keys come from
    /// operators' SQL and end up in logs.
    public static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(64) {
            if scalar.value < 0x20 || scalar.value == 0x7f { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
        return text.unicodeScalars.count > 64 ? out + "..." : out
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
