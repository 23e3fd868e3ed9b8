/// An ECPDU (IEEE 802.1Qbg-2012 clause 43, Edge Control Protocol): EtherType 0x8940 to the
/// nearest-customer-bridge address, a four-octet header and, in a request, the upper-layer
/// PDU it carries (VDP's TLVs for subtype 1).
///
/// Header: version (4 bits, 1), operation (2 bits: 0 request, 1 acknowledgement), subtype
/// (10 bits: 1 VDP), sequence number (16 bits). An acknowledgement carries the sequence of
/// the request it acknowledges and no payload (lldpad sends an 18-octet frame).
public struct ECPDU: Hashable, Sendable {
    public enum Operation: UInt8, Hashable, Sendable {
        case request = 0
        case acknowledgement = 1
    }

    /// The version lldpad and 802.1Qbg-2012 send.
    public static let version: UInt8 = 1
    /// The upper-layer subtype of VDP.
    public static let vdpSubtype: UInt16 = 1
    /// The ECP header's length.
    public static let headerLength = 4
    /// Every ECPDU goes to the nearest-customer-bridge group address.
    public static let destination = MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x00)

    public var version: UInt8
    public var operation: Operation
    /// ULP subtype, 10 bits.
    public var subtype: UInt16
    public var sequence: UInt16
    /// The upper-layer PDU: everything after the header, trailing padding included (VDP's
    /// decoder stops at an End TLV, which zero padding is).
    public var payload: [UInt8]

    public init(version: UInt8 = ECPDU.version, operation: Operation, subtype: UInt16 = ECPDU.vdpSubtype,
                sequence: UInt16, payload: [UInt8] = []) {
        self.version = version
        self.operation = operation
        self.subtype = subtype
        self.sequence = sequence
        self.payload = payload
    }

    /// Decodes the ECPDU after the EtherType.
    public init(decoding buffer: UnsafeRawBufferPointer) throws(ECPDecodingError) {
        guard buffer.count >= Self.headerLength else { throw .truncated(length: buffer.count) }
        let word = buffer.loadBigEndianUInt16(at: 0)
        guard let operation = Operation(rawValue: UInt8(word >> 10 & 0x3)) else {
            throw .unknownOperation(UInt8(word >> 10 & 0x3))
        }
        self.init(version: UInt8(word >> 12), operation: operation, subtype: word & 0x3ff,
                  sequence: buffer.loadBigEndianUInt16(at: 2), payload: Array(buffer[Self.headerLength...]))
    }

    /// `init(decoding:)` on an array.
    public init(decoding bytes: [UInt8]) throws(ECPDecodingError) {
        let result: Result<ECPDU, ECPDecodingError> = bytes.withUnsafeBytes { buffer in
            do throws(ECPDecodingError) { return .success(try ECPDU(decoding: buffer)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// The ECPDU of a whole Ethernet frame: EtherType 0x8940, untagged or inside one
    /// 802.1Q/802.1ad tag.
    public init(decodingFrame frame: UnsafeRawBufferPointer) throws(ECPDecodingError) {
        guard frame.count >= 14 else { throw .truncated(length: frame.count) }
        var offset = 12
        let outer = frame.loadBigEndianUInt16(at: offset)
        if outer == 0x8100 || outer == 0x88a8 {
            guard frame.count >= 18 else { throw .truncated(length: frame.count) }
            offset += 4
        }
        guard frame.loadBigEndianUInt16(at: offset) == EtherType.ecp else {
            throw .notECP(etherType: frame.loadBigEndianUInt16(at: offset))
        }
        try self.init(decoding: UnsafeRawBufferPointer(rebasing: frame[(offset + 2)...]))
    }

    /// `init(decodingFrame:)` on an array.
    public init(decodingFrame bytes: [UInt8]) throws(ECPDecodingError) {
        let result: Result<ECPDU, ECPDecodingError> = bytes.withUnsafeBytes { buffer in
            do throws(ECPDecodingError) { return .success(try ECPDU(decodingFrame: buffer)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Header and payload, as after the EtherType. Fields wider than their bits are masked.
    public var encoded: [UInt8] {
        let word = UInt16(version & 0xf) << 12 | UInt16(operation.rawValue) << 10 | subtype & 0x3ff
        return [UInt8(word >> 8), UInt8(word & 0xff), UInt8(sequence >> 8), UInt8(sequence & 0xff)] + payload
    }

    /// A whole Ethernet frame (no FCS) from `source` to the nearest-customer-bridge address.
    /// Not padded, as lldpad sends it: the NIC pads what leaves the machine, and a frame
    /// padded here would make VDP payloads longer than the TLVs they hold.
    public func frame(source: MACAddress) -> [UInt8] {
        Self.destination.octets + source.octets + [UInt8(EtherType.ecp >> 8), UInt8(EtherType.ecp & 0xff)] + encoded
    }
}

/// Why a frame is not a usable ECPDU: it is discarded and counted.
public enum ECPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Shorter than the Ethernet header or the ECP header.
    case truncated(length: Int)
    /// Not EtherType 0x8940.
    case notECP(etherType: UInt16)
    /// Operation 2 or 3 (reserved).
    case unknownOperation(UInt8)

    public var description: String {
        switch self {
        case .truncated(let length): "ECPDU truncated at \(length) octets"
        case .notECP(let type): "EtherType 0x\(String(type, radix: 16)) is not ECP"
        case .unknownOperation(let op): "reserved ECP operation \(op)"
        }
    }
}
