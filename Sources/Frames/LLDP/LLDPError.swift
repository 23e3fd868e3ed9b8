/// Why an LLDPDU was rejected. Any of these discards the whole LLDPDU (protocols.md: a
/// malformed LLDPDU is counted and discarded whole). Offsets count from the first TLV octet.
public enum LLDPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer than two octets left where a TLV header should start.
    case truncatedHeader(offset: Int)
    /// The TLV's length runs past the end of the buffer.
    case lengthPastEnd(type: UInt8, offset: Int, length: Int)
    /// The TLV area, up to its end, is longer than 1500 octets.
    case tooLong(length: Int)
    /// Chassis ID, Port ID and Time To Live must be the first three TLVs, in that order:
    /// `found` is the type at that place (nil when the LLDPDU ended there).
    case mandatoryMissing(expected: UInt8, found: UInt8?, offset: Int)
    /// A second Chassis ID, Port ID or Time To Live TLV.
    case duplicateMandatory(type: UInt8, offset: Int)
    /// A second Port Description, System Name, System Description or System Capabilities TLV
    /// (802.1AB allows at most one of each).
    case duplicateTLV(type: UInt8, offset: Int)
    /// A TLV of type 0 (End Of LLDPDU) with a non-zero length.
    case endWithLength(offset: Int, length: Int)
    /// A length outside what the TLV's type allows.
    case badLength(type: UInt8, offset: Int, length: Int)
    /// A subtype whose value has the wrong length: a MAC address that is not six octets, an
    /// IPv4 address that is not four, a Management Address whose inner lengths disagree with
    /// the TLV's.
    case badSubtypeLength(type: UInt8, subtype: UInt8, offset: Int, length: Int)
    /// An 802.1 organizationally specific TLV (OUI 00-80-C2) at a length its subtype does
    /// not have.
    case badOrganizationalLength(subtype: UInt8, offset: Int, length: Int)

    public var description: String {
        switch self {
        case .truncatedHeader(let offset):
            "truncated TLV header at offset \(offset)"
        case .lengthPastEnd(let type, let offset, let length):
            "\(LLDPTLVType.name(type)) TLV at offset \(offset): length \(length) runs past the end"
        case .tooLong(let length):
            "LLDPDU of \(length) octets exceeds \(LLDPDU.maxLength)"
        case .mandatoryMissing(let expected, let found, let offset):
            "\(LLDPTLVType.name(expected)) TLV expected at offset \(offset), found "
                + (found.map { LLDPTLVType.name($0) + " TLV" } ?? "the end")
        case .duplicateMandatory(let type, let offset):
            "second \(LLDPTLVType.name(type)) TLV at offset \(offset)"
        case .duplicateTLV(let type, let offset):
            "second \(LLDPTLVType.name(type)) TLV at offset \(offset)"
        case .endWithLength(let offset, let length):
            "End Of LLDPDU TLV at offset \(offset) with length \(length)"
        case .badLength(let type, let offset, let length):
            "\(LLDPTLVType.name(type)) TLV at offset \(offset): length \(length) not allowed"
        case .badSubtypeLength(let type, let subtype, let offset, let length):
            "\(LLDPTLVType.name(type)) TLV at offset \(offset): subtype \(subtype) with length \(length)"
        case .badOrganizationalLength(let subtype, let offset, let length):
            "802.1 TLV subtype \(subtype) at offset \(offset): length \(length) not allowed"
        }
    }
}

/// Why a value cannot be encoded as a standard LLDPDU: a field longer than its TLV allows.
public enum LLDPEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The TLV's value would be `length` octets, outside what its type allows.
    case badLength(type: UInt8, length: Int)
    /// The LLDPDU would be `length` octets, over 1500.
    case tooLong(length: Int)

    public var description: String {
        switch self {
        case .badLength(let type, let length):
            "\(LLDPTLVType.name(type)) TLV of \(length) octets is not allowed"
        case .tooLong(let length):
            "LLDPDU of \(length) octets exceeds \(LLDPDU.maxLength)"
        }
    }
}
