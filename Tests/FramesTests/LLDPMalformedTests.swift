import Frames
import Testing

/// Each way an LLDPDU can be malformed, with the error naming it. Offsets: Chassis ID at 0,
/// Port ID at 9, TTL at 18, the first optional TLV at 22.
@Suite struct LLDPMalformedTests {
    static let chassis = Array(LLDPSamples.switchLLDPDUBytes[0].1)
    static let port = Array(LLDPSamples.switchLLDPDUBytes[1].1)
    static let ttl = Array(LLDPSamples.switchLLDPDUBytes[2].1)
    static let mandatory = LLDPSamples.mandatoryWire
    static let systemName: [UInt8] = [0x0a, 0x03, 0x73, 0x77, 0x31]

    static let cases: [(String, [UInt8], LLDPDecodingError)] = [
        ("empty", [], .mandatoryMissing(expected: 1, found: nil, offset: 0)),
        ("one octet", [0x02], .truncatedHeader(offset: 0)),
        ("header cut after TTL", mandatory + [0x0a], .truncatedHeader(offset: 22)),
        ("Chassis ID cut", [0x02, 0x07, 0x04, 0x02, 0x00], .lengthPastEnd(type: 1, offset: 0, length: 7)),
        ("System Name past the end", mandatory + [0x0a, 0x04, 0x73], .lengthPastEnd(type: 5, offset: 22, length: 4)),
        ("Port ID first", port + chassis + ttl, .mandatoryMissing(expected: 1, found: 2, offset: 0)),
        ("Port ID missing", chassis + ttl, .mandatoryMissing(expected: 2, found: 3, offset: 9)),
        ("TTL missing before End", chassis + port + [0, 0], .mandatoryMissing(expected: 3, found: 0, offset: 18)),
        ("TTL missing at the end", chassis + port, .mandatoryMissing(expected: 3, found: nil, offset: 18)),
        ("TTL before Port ID", chassis + ttl + port, .mandatoryMissing(expected: 2, found: 3, offset: 9)),
        ("System Name before TTL", chassis + port + systemName + ttl, .mandatoryMissing(expected: 3, found: 5, offset: 18)),
        ("second Chassis ID", mandatory + chassis, .duplicateMandatory(type: 1, offset: 22)),
        ("second Port ID", mandatory + systemName + port, .duplicateMandatory(type: 2, offset: 27)),
        ("second TTL", mandatory + ttl, .duplicateMandatory(type: 3, offset: 22)),
        ("second System Name", mandatory + systemName + systemName, .duplicateTLV(type: 5, offset: 27)),
        ("second System Capabilities", mandatory + [0x0e, 0x04, 0, 4, 0, 4, 0x0e, 0x04, 0, 4, 0, 4],
         .duplicateTLV(type: 7, offset: 28)),
        ("End with a length", mandatory + [0x00, 0x01, 0x00], .endWithLength(offset: 22, length: 1)),
        ("End with a length first", [0x00, 0x02, 0x00, 0x00], .endWithLength(offset: 0, length: 2)),
        ("TTL of three octets", chassis + port + [0x06, 0x03, 0x00, 0x00, 0x78], .badLength(type: 3, offset: 18, length: 3)),
        ("TTL of one octet", chassis + port + [0x06, 0x01, 0x78], .badLength(type: 3, offset: 18, length: 1)),
        ("Chassis ID of one octet", [0x02, 0x01, 0x04], .badLength(type: 1, offset: 0, length: 1)),
        ("Port ID without subtype", chassis + [0x04, 0x00], .badLength(type: 2, offset: 9, length: 0)),
        ("Chassis ID over 256", [0x03, 0x01] + [UInt8](repeating: 7, count: 257), .badLength(type: 1, offset: 0, length: 257)),
        ("Port Description of 256", mandatory + [0x09, 0x00] + [UInt8](repeating: 0x61, count: 256),
         .badLength(type: 4, offset: 22, length: 256)),
        ("System Capabilities of 2", mandatory + [0x0e, 0x02, 0, 4], .badLength(type: 7, offset: 22, length: 2)),
        ("Management Address of 8", mandatory + [0x10, 0x08] + [UInt8](repeating: 2, count: 8),
         .badLength(type: 8, offset: 22, length: 8)),
        ("Organizational of 3", mandatory + [0xfe, 0x03, 0x00, 0x80, 0xc2], .badLength(type: 127, offset: 22, length: 3)),
        ("Chassis MAC of 5", [0x02, 0x06, 0x04, 1, 2, 3, 4, 5], .badSubtypeLength(type: 1, subtype: 4, offset: 0, length: 6)),
        ("Chassis MAC of 7", [0x02, 0x08, 0x04, 1, 2, 3, 4, 5, 6, 7], .badSubtypeLength(type: 1, subtype: 4, offset: 0, length: 8)),
        ("Chassis network address without address", [0x02, 0x02, 0x05, 0x01],
         .badSubtypeLength(type: 1, subtype: 5, offset: 0, length: 2)),
        ("Port IPv4 of 3", chassis + [0x04, 0x05, 0x04, 0x01, 1, 2, 3] + ttl,
         .badSubtypeLength(type: 2, subtype: 4, offset: 9, length: 5)),
        ("Port IPv6 of 4", chassis + [0x04, 0x06, 0x04, 0x02, 1, 2, 3, 4] + ttl,
         .badSubtypeLength(type: 2, subtype: 4, offset: 9, length: 6)),
        ("Port MAC of 5", chassis + [0x04, 0x06, 0x03, 1, 2, 3, 4, 5] + ttl,
         .badSubtypeLength(type: 2, subtype: 3, offset: 9, length: 6)),
        ("Management Address with a stray octet", mandatory + [0x10, 0x0d, 0x05, 0x01, 0xc6, 0x12, 0x00, 0x01,
                                                               0x02, 0, 0, 0, 3, 0x00, 0xff],
         .badSubtypeLength(type: 8, subtype: 1, offset: 22, length: 13)),
        ("Management Address IPv4 of 3", mandatory + [0x10, 0x0b, 0x04, 0x01, 0xc6, 0x12, 0x00, 0x02, 0, 0, 0, 3, 0x00],
         .badSubtypeLength(type: 8, subtype: 1, offset: 22, length: 11)),
        ("Management Address string of 1", mandatory + [0x10, 0x09, 0x01, 0x01, 0x02, 0, 0, 0, 0, 0, 0],
         .badSubtypeLength(type: 8, subtype: 1, offset: 22, length: 9)),
        ("Management Address string past the TLV", mandatory + [0x10, 0x09, 0x20, 0x01, 0x02, 0, 0, 0, 0, 0, 0],
         .badSubtypeLength(type: 8, subtype: 1, offset: 22, length: 9)),
        ("Management Address OID past the TLV", mandatory + [0x10, 0x0c, 0x05, 0x01, 0xc6, 0x12, 0x00, 0x01,
                                                             0x02, 0, 0, 0, 3, 0x05],
         .badSubtypeLength(type: 8, subtype: 1, offset: 22, length: 12)),
        ("Port VLAN ID of 3", mandatory + [0xfe, 0x07, 0x00, 0x80, 0xc2, 0x01, 0x00, 0x01, 0x00],
         .badOrganizationalLength(subtype: 1, offset: 22, length: 7)),
        ("VLAN Name shorter than its name length", mandatory + [0xfe, 0x0b, 0x00, 0x80, 0xc2, 0x03, 0x00, 0x01, 0x05,
                                                                0x61, 0x62, 0x63, 0x64],
         .badOrganizationalLength(subtype: 3, offset: 22, length: 11)),
        ("VLAN Name of 33", mandatory + [0xfe, 0x28, 0x00, 0x80, 0xc2, 0x03, 0x00, 0x01, 0x21] + [UInt8](repeating: 0x61, count: 33),
         .badOrganizationalLength(subtype: 3, offset: 22, length: 40)),
        ("VLAN Name without name length", mandatory + [0xfe, 0x06, 0x00, 0x80, 0xc2, 0x03, 0x00, 0x01],
         .badOrganizationalLength(subtype: 3, offset: 22, length: 6)),
        ("ETS Configuration of 24", mandatory + [0xfe, 0x18, 0x00, 0x80, 0xc2, 0x09] + [UInt8](repeating: 0, count: 20),
         .badOrganizationalLength(subtype: 9, offset: 22, length: 24)),
        ("ETS Recommendation of 26", mandatory + [0xfe, 0x1a, 0x00, 0x80, 0xc2, 0x0a] + [UInt8](repeating: 0, count: 22),
         .badOrganizationalLength(subtype: 10, offset: 22, length: 26)),
        ("PFC of 5", mandatory + [0xfe, 0x05, 0x00, 0x80, 0xc2, 0x0b, 0x08],
         .badOrganizationalLength(subtype: 11, offset: 22, length: 5)),
        ("Application Priority without reserved octet", mandatory + [0xfe, 0x04, 0x00, 0x80, 0xc2, 0x0c],
         .badOrganizationalLength(subtype: 12, offset: 22, length: 4)),
        ("Application Priority with half an entry", mandatory + [0xfe, 0x07, 0x00, 0x80, 0xc2, 0x0c, 0x00, 0x61, 0x89],
         .badOrganizationalLength(subtype: 12, offset: 22, length: 7)),
        ("over 1500 octets", mandatory + [UInt8](unknownTLVs(count: 3, length: 500)),
         .tooLong(length: 22 + 3 * 502)),
    ]

    /// `count` reserved-type TLVs of `length` zero octets each.
    static func unknownTLVs(count: Int, length: Int) -> [UInt8] {
        [[UInt8]](repeating: LLDPSamples.header(type: 100, length: length) + [UInt8](repeating: 0, count: length),
                  count: count).flatMap { $0 }
    }

    @Test(arguments: cases.indices)
    func rejected(_ index: Int) {
        let (name, bytes, expected) = Self.cases[index]
        #expect(throws: expected, "\(name)") { try LLDPDU(decoding: bytes) }
    }

    @Test func exactly1500OctetsIsAccepted() throws {
        let tlvs = Self.unknownTLVs(count: 2, length: 511) + Self.unknownTLVs(count: 1, length: 448)
        let wire = Self.mandatory + tlvs + [0, 0]
        #expect(wire.count == 1500)
        let lldpdu = try LLDPDU(decoding: wire)
        #expect(lldpdu.tlvs.count == 3)
        #expect(try lldpdu.encode() == wire)
    }

    @Test func aShutdownLLDPDUHasATTLOfZero() throws {
        let wire = Self.chassis + Self.port + [0x06, 0x02, 0x00, 0x00, 0x00, 0x00]
        #expect(try LLDPDU(decoding: wire).timeToLive == 0)
    }

    @Test func errorsNameTheProblem() {
        #expect("\(LLDPDecodingError.mandatoryMissing(expected: 3, found: 5, offset: 18))"
                == "Time To Live TLV expected at offset 18, found System Name TLV")
        #expect("\(LLDPDecodingError.lengthPastEnd(type: 127, offset: 40, length: 25))"
                == "Organizationally Specific TLV at offset 40: length 25 runs past the end")
        #expect("\(LLDPDecodingError.badOrganizationalLength(subtype: 9, offset: 40, length: 24))"
                == "802.1 TLV subtype 9 at offset 40: length 24 not allowed")
    }
}
