/// One TLV of a VDPDU (IEEE 802.1Qbg-2012 41.2): the same 7-bit type / 9-bit length header
/// as LLDP's.
public enum VDPTLV: Hashable, Sendable {
    /// Type 5: the VSI Manager ID the VSI TLVs after it belong to (lldpad sends it first,
    /// once per request, and accepts a response only with it first).
    case managerID(VDPIdentifier)
    /// Types 1-4.
    case vsi(VSITLV)
    /// Type 127: organizationally defined information (OUI, then the organization's octets);
    /// lldpad sends it only with vdptool's `oui=` (e.g. Cisco's), after the VSI TLV.
    case organizational(oui: UInt32, value: [UInt8])

    public static let managerIDType: UInt8 = 5
    public static let organizationalType: UInt8 = 127

    var type: UInt8 {
        switch self {
        case .managerID: Self.managerIDType
        case .vsi(let vsi): vsi.request.rawValue
        case .organizational: Self.organizationalType
        }
    }
}

/// The VDP TLVs one ECPDU carries, in order. Decoding stops at an End TLV (type 0, which the
/// zero padding of a short frame also is); encoding adds none, as lldpad adds none.
public struct VDPDU: Hashable, Sendable {
    public var tlvs: [VDPTLV]

    public init(tlvs: [VDPTLV]) { self.tlvs = tlvs }

    /// The largest value a TLV's 9-bit length can say.
    public static let maxTLVLength = 511

    public init(decoding buffer: UnsafeRawBufferPointer) throws(VDPDecodingError) {
        var tlvs: [VDPTLV] = []
        var offset = 0
        while offset < buffer.count {
            guard offset + 2 <= buffer.count else { throw .truncatedHeader(offset: offset) }
            let header = buffer.loadBigEndianUInt16(at: offset)
            let type = UInt8(header >> 9)
            let length = Int(header & 0x1ff)
            if type == 0 { break }
            guard offset + 2 + length <= buffer.count else { throw .lengthPastEnd(type: type, offset: offset, length: length) }
            let value = UnsafeRawBufferPointer(rebasing: buffer[(offset + 2)..<(offset + 2 + length)])
            switch type {
            case VDPTLV.managerIDType:
                guard length == VDPIdentifier.length else { throw .badLength(type: type, offset: offset, length: length) }
                tlvs.append(.managerID(VDPIdentifier(octets: Array(value))!))
            case VDPTLV.organizationalType:
                guard length >= 3 else { throw .badLength(type: type, offset: offset, length: length) }
                tlvs.append(.organizational(oui: UInt32(value[0]) << 16 | UInt32(value[1]) << 8 | UInt32(value[2]),
                                            value: Array(value[3...])))
            default:
                guard let request = VSITLV.Request(rawValue: type) else { throw .unknownType(type, offset: offset) }
                tlvs.append(.vsi(try VSITLV(request: request, value: value, offset: offset)))
            }
            offset += 2 + length
        }
        self.init(tlvs: tlvs)
    }

    public init(decoding bytes: [UInt8]) throws(VDPDecodingError) {
        let result: Result<VDPDU, VDPDecodingError> = bytes.withUnsafeBytes { buffer in
            do throws(VDPDecodingError) { return .success(try VDPDU(decoding: buffer)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// The TLVs' octets. Throws when a TLV's value would be over 511 octets or hold more than
    /// 65,535 entries.
    public func encode() throws(VDPEncodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        for tlv in tlvs {
            let value: [UInt8]
            switch tlv {
            case .managerID(let id): value = id.octets
            case .vsi(let vsi): value = vsi.value
            case .organizational(let oui, let rest):
                value = [UInt8(oui >> 16 & 0xff), UInt8(oui >> 8 & 0xff), UInt8(oui & 0xff)] + rest
            }
            guard value.count <= Self.maxTLVLength else { throw .tooLong(type: tlv.type, length: value.count) }
            bytes += [tlv.type << 1 | UInt8(value.count >> 8), UInt8(value.count & 0xff)]
            bytes += value
        }
        return bytes
    }
}

/// Why a VDPDU was rejected: the whole ECPDU's payload is discarded and counted.
public enum VDPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    case truncatedHeader(offset: Int)
    case lengthPastEnd(type: UInt8, offset: Int, length: Int)
    /// A type that is not End, a VSI request, Manager ID or organizational.
    case unknownType(UInt8, offset: Int)
    /// A length the type does not allow (a Manager ID not 16, a VSI TLV whose length is not
    /// what its entry count and filter format say).
    case badLength(type: UInt8, offset: Int, length: Int)
    case unknownFilterFormat(UInt8, offset: Int)

    public var description: String {
        switch self {
        case .truncatedHeader(let offset): "truncated VDP TLV header at offset \(offset)"
        case .lengthPastEnd(let type, let offset, let length):
            "VDP TLV type \(type) at offset \(offset): length \(length) runs past the end"
        case .unknownType(let type, let offset): "unknown VDP TLV type \(type) at offset \(offset)"
        case .badLength(let type, let offset, let length): "VDP TLV type \(type) at offset \(offset): length \(length) not allowed"
        case .unknownFilterFormat(let format, let offset): "VSI TLV at offset \(offset): filter info format \(format) unknown"
        }
    }
}

/// Why VDP TLVs cannot be encoded.
public enum VDPEncodingError: Error, Hashable, Sendable {
    case tooLong(type: UInt8, length: Int)
}
