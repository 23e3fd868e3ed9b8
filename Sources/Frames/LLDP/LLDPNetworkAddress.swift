/// An address as LLDP carries it in the Chassis ID, Port ID (network address subtype) and
/// Management Address TLVs: one octet of IANA address family, then the address.
public enum LLDPNetworkAddress: Hashable, Sendable, CustomStringConvertible {
    /// IANA family 1.
    case ipv4(IPv4Address)
    /// IANA family 2; always 16 octets once decoded.
    case ipv6([UInt8])
    /// IANA family 6 (IEEE 802, i.e. a MAC address).
    case mac(MACAddress)
    /// Any other family, or the families above at another length never produced by the
    /// decoder (it rejects those), kept as octets.
    case other(family: UInt8, octets: [UInt8])

    /// IANA address family numbers the decoder gives a type to.
    public enum Family {
        public static let ipv4: UInt8 = 1
        public static let ipv6: UInt8 = 2
        public static let ieee802: UInt8 = 6
    }

    /// The family octet on the wire.
    public var family: UInt8 {
        switch self {
        case .ipv4: Family.ipv4
        case .ipv6: Family.ipv6
        case .mac: Family.ieee802
        case .other(let family, _): family
        }
    }

    /// The address octets after the family octet.
    public var octets: [UInt8] {
        switch self {
        case .ipv4(let address):
            [UInt8(address.rawValue >> 24), UInt8(address.rawValue >> 16 & 0xff),
             UInt8(address.rawValue >> 8 & 0xff), UInt8(address.rawValue & 0xff)]
        case .ipv6(let octets): octets
        case .mac(let address): address.octets
        case .other(_, let octets): octets
        }
    }

    /// Reads a family octet and address: nil when a known family has the wrong length
    /// (the caller turns that into its TLV's error).
    static func decode(family: UInt8, octets: [UInt8]) -> LLDPNetworkAddress? {
        switch family {
        case Family.ipv4:
            guard octets.count == 4 else { return nil }
            return .ipv4(IPv4Address(octets[0], octets[1], octets[2], octets[3]))
        case Family.ipv6:
            guard octets.count == 16 else { return nil }
            return .ipv6(octets)
        case Family.ieee802:
            guard octets.count == 6 else { return nil }
            return .mac(MACAddress(octets[0], octets[1], octets[2], octets[3], octets[4], octets[5]))
        default:
            return .other(family: family, octets: octets)
        }
    }

    public var description: String {
        switch self {
        case .ipv4(let address): address.description
        case .mac(let address): address.description
        case .ipv6(let octets) where octets.count == 16:
            stride(from: 0, to: 16, by: 2)
                .map { String(UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        case .ipv6(let octets), .other(_, let octets):
            octets.map { String($0, radix: 16) }.joined(separator: ":")
        }
    }
}
