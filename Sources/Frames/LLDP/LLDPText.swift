/// The octets of an LLDP string field (Port Description, System Name, an interface name...).
///
/// 802.1AB calls these strings, but peers send whatever their configuration holds; keeping the
/// octets as received makes a decoded TLV re-encode byte for byte, and `description` shows them
/// as UTF-8 (invalid sequences replaced) for the show commands, control characters as `\xNN`:
/// a neighbour's name must not be able to move an operator's cursor or clear the screen.
public struct LLDPText: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The field's octets, exactly as on the wire.
    public var octets: [UInt8]

    public init(octets: [UInt8]) { self.octets = octets }

    public init(_ text: String) { self.octets = Array(text.utf8) }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String {
        var shown = ""
        for scalar in String(decoding: octets, as: UTF8.self).unicodeScalars {
            if scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) {
                let hex = String(scalar.value, radix: 16)
                shown += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }
}
