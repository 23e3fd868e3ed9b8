/// The Chassis ID TLV's value (802.1AB-2016 8.5.2): a subtype and an identifier of 1–255 octets.
public enum LLDPChassisID: Hashable, Sendable {
    /// Subtype 1: entPhysicalAlias of a chassis component.
    case chassisComponent(LLDPText)
    /// Subtype 2: ifAlias.
    case interfaceAlias(LLDPText)
    /// Subtype 3: entPhysicalAlias of a port or backplane component.
    case portComponent(LLDPText)
    /// Subtype 4: a MAC address (what the switch sends: its own MAC).
    case macAddress(MACAddress)
    /// Subtype 5: a network address with its IANA family.
    case networkAddress(LLDPNetworkAddress)
    /// Subtype 6: ifName.
    case interfaceName(LLDPText)
    /// Subtype 7: locally assigned.
    case local(LLDPText)
    /// Subtypes 0 and 8–255, reserved: kept as octets.
    case reserved(subtype: UInt8, octets: [UInt8])
}

/// The Port ID TLV's value (802.1AB-2016 8.5.3): a subtype and an identifier of 1–255 octets.
public enum LLDPPortID: Hashable, Sendable {
    /// Subtype 1: ifAlias.
    case interfaceAlias(LLDPText)
    /// Subtype 2: entPhysicalAlias of a port component.
    case portComponent(LLDPText)
    /// Subtype 3: a MAC address.
    case macAddress(MACAddress)
    /// Subtype 4: a network address with its IANA family.
    case networkAddress(LLDPNetworkAddress)
    /// Subtype 5: ifName (what the switch sends: `port N`).
    case interfaceName(LLDPText)
    /// Subtype 6: agent circuit ID (RFC 3046), opaque octets.
    case agentCircuitID([UInt8])
    /// Subtype 7: locally assigned.
    case local(LLDPText)
    /// Subtypes 0 and 8–255, reserved: kept as octets.
    case reserved(subtype: UInt8, octets: [UInt8])
}

extension LLDPChassisID {
    /// The subtype octet and identifier octets on the wire.
    public var wire: (subtype: UInt8, octets: [UInt8]) {
        switch self {
        case .chassisComponent(let text): (1, text.octets)
        case .interfaceAlias(let text): (2, text.octets)
        case .portComponent(let text): (3, text.octets)
        case .macAddress(let address): (4, address.octets)
        case .networkAddress(let address): (5, [address.family] + address.octets)
        case .interfaceName(let text): (6, text.octets)
        case .local(let text): (7, text.octets)
        case .reserved(let subtype, let octets): (subtype, octets)
        }
    }

    /// Nil when a MAC or network address identifier has the wrong length.
    static func decode(subtype: UInt8, octets: [UInt8]) -> LLDPChassisID? {
        switch subtype {
        case 1: return .chassisComponent(LLDPText(octets: octets))
        case 2: return .interfaceAlias(LLDPText(octets: octets))
        case 3: return .portComponent(LLDPText(octets: octets))
        case 4: return decodeMAC(octets).map { .macAddress($0) }
        case 5: return decodeNetworkAddress(octets).map { .networkAddress($0) }
        case 6: return .interfaceName(LLDPText(octets: octets))
        case 7: return .local(LLDPText(octets: octets))
        default: return .reserved(subtype: subtype, octets: octets)
        }
    }
}

extension LLDPPortID {
    /// The subtype octet and identifier octets on the wire.
    public var wire: (subtype: UInt8, octets: [UInt8]) {
        switch self {
        case .interfaceAlias(let text): (1, text.octets)
        case .portComponent(let text): (2, text.octets)
        case .macAddress(let address): (3, address.octets)
        case .networkAddress(let address): (4, [address.family] + address.octets)
        case .interfaceName(let text): (5, text.octets)
        case .agentCircuitID(let octets): (6, octets)
        case .local(let text): (7, text.octets)
        case .reserved(let subtype, let octets): (subtype, octets)
        }
    }

    /// Nil when a MAC or network address identifier has the wrong length.
    static func decode(subtype: UInt8, octets: [UInt8]) -> LLDPPortID? {
        switch subtype {
        case 1: return .interfaceAlias(LLDPText(octets: octets))
        case 2: return .portComponent(LLDPText(octets: octets))
        case 3: return decodeMAC(octets).map { .macAddress($0) }
        case 4: return decodeNetworkAddress(octets).map { .networkAddress($0) }
        case 5: return .interfaceName(LLDPText(octets: octets))
        case 6: return .agentCircuitID(octets)
        case 7: return .local(LLDPText(octets: octets))
        default: return .reserved(subtype: subtype, octets: octets)
        }
    }
}

/// Six octets as a MAC address, nil at any other length.
private func decodeMAC(_ octets: [UInt8]) -> MACAddress? {
    guard octets.count == 6 else { return nil }
    return MACAddress(octets[0], octets[1], octets[2], octets[3], octets[4], octets[5])
}

/// A family octet and at least one address octet, with known families at their length.
private func decodeNetworkAddress(_ octets: [UInt8]) -> LLDPNetworkAddress? {
    guard octets.count >= 2 else { return nil }
    return LLDPNetworkAddress.decode(family: octets[0], octets: Array(octets[1...]))
}

/// Identifiers as the show commands print them: a MAC or address as such, a name as text,
/// opaque octets in hex.
extension LLDPChassisID: CustomStringConvertible {
    public var description: String {
        switch self {
        case .chassisComponent(let text), .interfaceAlias(let text), .portComponent(let text), .interfaceName(let text),
             .local(let text): text.description
        case .macAddress(let address): address.description
        case .networkAddress(let address): address.description
        case .reserved(_, let octets): hexOctets(octets)
        }
    }
}

extension LLDPPortID: CustomStringConvertible {
    public var description: String {
        switch self {
        case .interfaceAlias(let text), .portComponent(let text), .interfaceName(let text), .local(let text): text.description
        case .macAddress(let address): address.description
        case .networkAddress(let address): address.description
        case .agentCircuitID(let octets), .reserved(_, let octets): hexOctets(octets)
        }
    }
}

private func hexOctets(_ octets: [UInt8]) -> String {
    octets.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: ":")
}
