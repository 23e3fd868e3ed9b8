/// A 48-bit IEEE 802 MAC address, held in the low 48 bits of a `UInt64`.
///
/// A plain integer keeps the address cheap to copy, compare and hash on the
/// forwarding path; the first octet on the wire is the most significant byte.
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address in the low 48 bits; the high 16 bits are always zero.
    public let rawValue: UInt64

    /// The broadcast address ff:ff:ff:ff:ff:ff.
    public static let broadcast = MACAddress(rawValue: 0xffff_ffff_ffff)
    /// The all-zero address, never a valid station.
    public static let zero = MACAddress(rawValue: 0)

    /// Creates an address from its 48-bit value; higher bits are discarded.
    @inlinable
    public init(rawValue: UInt64) {
        self.rawValue = rawValue & 0xffff_ffff_ffff
    }

    /// Creates an address from six octets in wire order.
    public init(_ o0: UInt8, _ o1: UInt8, _ o2: UInt8, _ o3: UInt8, _ o4: UInt8, _ o5: UInt8) {
        let high = UInt64(o0) << 40 | UInt64(o1) << 32 | UInt64(o2) << 24
        self.init(rawValue: high | UInt64(o3) << 16 | UInt64(o4) << 8 | UInt64(o5))
    }

    /// Reads six octets at `offset`; the caller guarantees they are in bounds.
    @inlinable
    public init(loadingFrom buffer: UnsafeRawBufferPointer, atOffset offset: Int) {
        // Two unaligned loads instead of six byte loads: this runs twice per frame.
        let high = UInt64(UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let low = UInt64(UInt16(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)))
        self.rawValue = high << 16 | low
    }

    /// Writes the six octets at `offset`; the caller guarantees they are in bounds.
    public func store(into buffer: UnsafeMutableRawBufferPointer, atOffset offset: Int) {
        buffer.storeBytes(of: UInt32(truncatingIfNeeded: rawValue >> 16).bigEndian, toByteOffset: offset, as: UInt32.self)
        buffer.storeBytes(of: UInt16(truncatingIfNeeded: rawValue).bigEndian, toByteOffset: offset + 4, as: UInt16.self)
    }

    /// Parses `00:50:56:9c:00:c8`, `00-50-56-9C-00-C8` or Cisco's dotted `0050.569c.00c8`.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        let groups: [ArraySlice<UInt8>]
        if utf8.count == 17, utf8[2] == UInt8(ascii: ":") || utf8[2] == UInt8(ascii: "-") {
            let separator = utf8[2]
            groups = utf8.split(separator: separator, omittingEmptySubsequences: false)
            guard groups.count == 6, groups.allSatisfy({ $0.count == 2 }) else { return nil }
        } else if utf8.count == 14 {
            groups = utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard groups.count == 3, groups.allSatisfy({ $0.count == 4 }) else { return nil }
        } else {
            return nil
        }
        var value: UInt64 = 0
        for group in groups {
            for character in group {
                guard let nibble = MACAddress.hexValue(character) else { return nil }
                value = value << 4 | UInt64(nibble)
            }
        }
        self.init(rawValue: value)
    }

    /// The six octets in wire order.
    public var octets: [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: rawValue >> (40 - 8 * UInt64($0))) }
    }

    /// The 24-bit organizationally unique identifier (first three octets).
    public var oui: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 24) }

    /// True for group (multicast and broadcast) addresses: the I/G bit of the first octet.
    @inlinable
    public var isMulticast: Bool { rawValue & 0x0100_0000_0000 != 0 }

    /// True for ff:ff:ff:ff:ff:ff.
    @inlinable
    public var isBroadcast: Bool { rawValue == 0xffff_ffff_ffff }

    /// True for 01:80:c2:00:00:00 to 01:80:c2:00:00:0f, the IEEE 802.1D reserved
    /// link-local group addresses that a bridge must never forward.
    @inlinable
    public var isLinkLocalReserved: Bool { rawValue & ~0xf == 0x0180_c200_0000 }

    /// Lower-case colon form, e.g. `00:50:56:9c:00:c8`.
    public var description: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(17)
        for index in 0..<6 {
            if index > 0 { text.append(UInt8(ascii: ":")) }
            let octet = Int(truncatingIfNeeded: rawValue >> (40 - 8 * UInt64(index))) & 0xff
            text.append(digits[octet >> 4])
            text.append(digits[octet & 0xf])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
