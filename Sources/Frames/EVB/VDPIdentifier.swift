/// A 16-octet VDP identifier: a VSI Manager ID (802.1Qbg-2012 41.2.2.1) or a VSI ID
/// (41.2.7). lldpad's `mgrid2=mgr1` travels as "mgr1" padded with zeros; a UUID VSI ID
/// (format 5) as its 16 octets.
public struct VDPIdentifier: Hashable, Sendable, CustomStringConvertible {
    public static let length = 16
    public let octets: [UInt8]

    /// Exactly 16 octets, else nil.
    public init?(octets: [UInt8]) {
        guard octets.count == Self.length else { return nil }
        self.octets = octets
    }

    /// A short name (at most 16 UTF-8 octets), zero-padded as lldpad pads `mgrid2`.
    public init?(name: String) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.length, !bytes.contains(0) else { return nil }
        octets = bytes + [UInt8](repeating: 0, count: Self.length - bytes.count)
    }

    /// An RFC 4122 UUID, dashes optional (32 hex digits).
    public init?(uuid: String) {
        let digits = Array(uuid.filter { $0 != "-" })
        guard digits.count == 32 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 32, by: 2) {
            guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        octets = bytes
    }

    /// The name when the octets are printable ASCII padded with zeros (a manager ID such as
    /// "mgr1"), else the UUID form.
    public var description: String {
        let text = octets.prefix { $0 != 0 }
        if !text.isEmpty, text.allSatisfy({ (0x21...0x7e).contains($0) }), octets[text.count...].allSatisfy({ $0 == 0 }) {
            return String(decoding: text, as: UTF8.self)
        }
        return uuidText
    }

    /// 8-4-4-4-12 lower-case hex digits.
    public var uuidText: String {
        let hex = octets.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
    }
}
