/// The octets of an LLDP string field (Port Description, System Name, an interface name...).
///
/// 802.1AB calls these strings, but peers send whatever their configuration holds; keeping the
/// octets as received makes a decoded TLV re-encode byte for byte, and `description` shows them
/// as UTF-8 (invalid sequences replaced) for the show commands.
public struct LLDPText: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The field's octets, exactly as on the wire.
    public var octets: [UInt8]

    public init(octets: [UInt8]) { self.octets = octets }

    public init(_ text: String) { self.octets = Array(text.utf8) }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { String(decoding: octets, as: UTF8.self) }
}
