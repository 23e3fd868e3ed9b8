import Frames
import Testing

/// Known-good byte vectors written from the standards: the encoder writes exactly these bytes
/// and the decoder reads them back to the same value.
@Suite struct LLDPRoundTripTests {
    @Test func theSwitchsLLDPDUIsByteExact() throws {
        let encoded = try LLDPSamples.switchLLDPDU.encode()
        var offset = 0
        for (name, bytes) in LLDPSamples.switchLLDPDUBytes {
            #expect(Array(encoded.dropFirst(offset).prefix(bytes.count)) == bytes, "\(name)")
            offset += bytes.count
        }
        #expect(encoded == LLDPSamples.switchLLDPDUWire)
        #expect(try LLDPDU(decoding: LLDPSamples.switchLLDPDUWire) == LLDPSamples.switchLLDPDU)
    }

    @Test func accessorsFindTheTextTLVs() {
        let lldpdu = LLDPSamples.switchLLDPDU
        #expect(lldpdu.systemName?.description == "sw1")
        #expect(lldpdu.portDescription?.description == "uplink")
        #expect(lldpdu.systemDescription?.description == "VMready 0.1.0")
        #expect(lldpdu.organizationalTLVs.count == 6)
    }

    /// Optional TLVs: (the value, its TLV bytes by hand).
    static let optionalVectors: [(LLDPTLV, [UInt8])] = [
        (.portDescription(""), [0x08, 0x00]),
        (.systemName(LLDPText(octets: [0xff, 0xfe])), [0x0a, 0x02, 0xff, 0xfe]),
        (.systemDescription(LLDPText(String(repeating: "d", count: 255))),
         [0x0c, 0xff] + [UInt8](repeating: 0x64, count: 255)),
        (.systemCapabilities(LLDPSystemCapabilities(supported: [.bridge, .router, .twoPortMACRelay], enabled: [.router])),
         [0x0e, 0x04, 0x04, 0x14, 0x00, 0x10]),
        // Address string length 7 (family 6 + MAC), interface subtype 3, port 48, a 3-octet OID.
        (.managementAddress(LLDPManagementAddress(address: .mac(MACAddress(0x02, 0, 0, 0, 0, 0x09)),
                                                  interfaceNumbering: 3, interfaceNumber: 48,
                                                  objectIdentifier: [0x2b, 0x06, 0x01])),
         [0x10, 0x11, 0x07, 0x06, 0x02, 0x00, 0x00, 0x00, 0x00, 0x09, 0x03, 0x00, 0x00, 0x00, 0x30, 0x03, 0x2b, 0x06, 0x01]),
        // IPv6 2001:db8::1, unknown interface numbering.
        (.managementAddress(LLDPManagementAddress(address: .ipv6([0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]))),
         [0x10, 0x18, 0x11, 0x02, 0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x01, 0x01, 0, 0, 0, 0, 0x00]),
        (.managementAddress(LLDPManagementAddress(address: .other(family: 16, octets: [0xaa]))),
         [0x10, 0x09, 0x02, 0x10, 0xaa, 0x01, 0, 0, 0, 0, 0x00]),
        (.organizational(.portVLANID(4094)), [0xfe, 0x06, 0x00, 0x80, 0xc2, 0x01, 0x0f, 0xfe]),
        (.organizational(.vlanName(vid: 100, name: "")), [0xfe, 0x07, 0x00, 0x80, 0xc2, 0x03, 0x00, 0x64, 0x00]),
        (.organizational(.vlanName(vid: 4094, name: LLDPText(String(repeating: "v", count: 32)))),
         [0xfe, 0x27, 0x00, 0x80, 0xc2, 0x03, 0x0f, 0xfe, 0x20] + [UInt8](repeating: 0x76, count: 32)),
        // Willing, CBS, 3 TCs: 0xc3. Priorities 7..0 in TCs 7..0 reversed; TSA strict, CBS, vendor.
        (.organizational(.etsConfiguration(ETSConfiguration(
            willing: true, creditBasedShaper: true, maxTrafficClasses: 3,
            tables: ETSTables(priorityTrafficClass: [7, 6, 5, 4, 3, 2, 1, 15],
                              trafficClassBandwidth: [100, 0, 0, 0, 0, 0, 0, 0],
                              trafficClassAlgorithm: [0, 1, 255, 2, 2, 2, 2, 2])))),
         [0xfe, 0x19, 0x00, 0x80, 0xc2, 0x09, 0xc3, 0x76, 0x54, 0x32, 0x1f,
          0x64, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0xff, 0x02, 0x02, 0x02, 0x02, 0x02]),
        // Willing, MBC, capability 15, PFC on priorities 0 and 7.
        (.organizational(.pfcConfiguration(PFCConfiguration(willing: true, macsecBypassCapability: true,
                                                            capability: 15, enabled: 0x81))),
         [0xfe, 0x06, 0x00, 0x80, 0xc2, 0x0b, 0xcf, 0x81]),
        (.organizational(.applicationPriority(ApplicationPriority(entries: []))),
         [0xfe, 0x05, 0x00, 0x80, 0xc2, 0x0c, 0x00]),
        // Priority 7, selector 5 (DSCP) 46; priority 0, selector 3 (UDP) 4791 (RoCEv2).
        (.organizational(.applicationPriority(ApplicationPriority(entries: [
            ApplicationPriorityEntry(priority: 7, selector: 5, protocolID: 46),
            ApplicationPriorityEntry(priority: 0, selector: 3, protocolID: 4791),
        ]))), [0xfe, 0x0b, 0x00, 0x80, 0xc2, 0x0c, 0x00, 0xe5, 0x00, 0x2e, 0x03, 0x12, 0xb7]),
        // 802.1 subtype 2 (port and protocol VLAN) has no type here; 802.3 MAC/PHY neither.
        (.organizational(.unknown(oui: 0x0080c2, subtype: 2, value: [0x06, 0x00, 0x05])),
         [0xfe, 0x07, 0x00, 0x80, 0xc2, 0x02, 0x06, 0x00, 0x05]),
        (.organizational(.unknown(oui: 0x00120f, subtype: 1, value: [0x03, 0x6c, 0x00, 0x00, 0x1e])),
         [0xfe, 0x09, 0x00, 0x12, 0x0f, 0x01, 0x03, 0x6c, 0x00, 0x00, 0x1e]),
        (.organizational(.unknown(oui: 0xffffff, subtype: 0, value: [UInt8](repeating: 7, count: 507))),
         [0xff, 0xff, 0xff, 0xff, 0xff, 0x00] + [UInt8](repeating: 7, count: 507)),
        (.unknown(type: 9, value: []), [0x12, 0x00]),
        (.unknown(type: 126, value: [UInt8](repeating: 1, count: 511)), [0xfd, 0xff] + [UInt8](repeating: 1, count: 511)),
    ]

    @Test(arguments: optionalVectors.indices)
    func optionalTLV(_ index: Int) throws {
        let (tlv, bytes) = Self.optionalVectors[index]
        let lldpdu = LLDPDU(chassisID: .macAddress(LLDPSamples.switchMAC), portID: .interfaceName("port 3"),
                            timeToLive: 120, tlvs: [tlv])
        let wire = LLDPSamples.mandatoryWire + bytes + [0, 0]
        #expect(try lldpdu.encode() == wire)
        #expect(try LLDPDU(decoding: wire) == lldpdu)
    }

    /// Chassis IDs: (value, TLV bytes).
    static let chassisVectors: [(LLDPChassisID, [UInt8])] = [
        (.chassisComponent("c"), [0x02, 0x02, 0x01, 0x63]),
        (.interfaceAlias("a"), [0x02, 0x02, 0x02, 0x61]),
        (.portComponent("p"), [0x02, 0x02, 0x03, 0x70]),
        (.macAddress(MACAddress(0x00, 0x50, 0x56, 0x9c, 0x00, 0xc8)), [0x02, 0x07, 0x04, 0x00, 0x50, 0x56, 0x9c, 0x00, 0xc8]),
        (.networkAddress(.ipv4(IPv4Address(198, 18, 0, 2))), [0x02, 0x06, 0x05, 0x01, 0xc6, 0x12, 0x00, 0x02]),
        (.interfaceName("eth0"), [0x02, 0x05, 0x06, 0x65, 0x74, 0x68, 0x30]),
        (.local(LLDPText(String(repeating: "x", count: 255))), [0x03, 0x00, 0x07] + [UInt8](repeating: 0x78, count: 255)),
        (.reserved(subtype: 0, octets: [1]), [0x02, 0x02, 0x00, 0x01]),
        (.reserved(subtype: 200, octets: [1, 2]), [0x02, 0x03, 0xc8, 0x01, 0x02]),
    ]

    @Test(arguments: chassisVectors.indices)
    func chassisID(_ index: Int) throws {
        let (chassis, bytes) = Self.chassisVectors[index]
        let lldpdu = LLDPDU(chassisID: chassis, portID: .local("1"), timeToLive: 0)
        let wire = bytes + [0x04, 0x02, 0x07, 0x31, 0x06, 0x02, 0x00, 0x00, 0x00, 0x00]
        #expect(try lldpdu.encode() == wire)
        #expect(try LLDPDU(decoding: wire) == lldpdu)
    }

    /// Port IDs: (value, TLV bytes).
    static let portVectors: [(LLDPPortID, [UInt8])] = [
        (.interfaceAlias("a"), [0x04, 0x02, 0x01, 0x61]),
        (.portComponent("p"), [0x04, 0x02, 0x02, 0x70]),
        (.macAddress(MACAddress(0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11)), [0x04, 0x07, 0x03, 0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11]),
        (.networkAddress(.mac(MACAddress(0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11))),
         [0x04, 0x08, 0x04, 0x06, 0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11]),
        (.interfaceName("port 48"), [0x04, 0x08, 0x05, 0x70, 0x6f, 0x72, 0x74, 0x20, 0x34, 0x38]),
        (.agentCircuitID([0x01, 0x02, 0x03]), [0x04, 0x04, 0x06, 0x01, 0x02, 0x03]),
        (.local("7"), [0x04, 0x02, 0x07, 0x37]),
        (.reserved(subtype: 8, octets: [0]), [0x04, 0x02, 0x08, 0x00]),
    ]

    @Test(arguments: portVectors.indices)
    func portID(_ index: Int) throws {
        let (port, bytes) = Self.portVectors[index]
        let lldpdu = LLDPDU(chassisID: .local("c"), portID: port, timeToLive: 65535)
        let wire = [0x02, 0x02, 0x07, 0x63] + bytes + [0x06, 0x02, 0xff, 0xff, 0x00, 0x00]
        #expect(try lldpdu.encode() == wire)
        #expect(try LLDPDU(decoding: wire) == lldpdu)
    }

    @Test func theFrameIsAddressedPaddedAndTyped() throws {
        let small = LLDPDU(chassisID: .local("c"), portID: .local("p"), timeToLive: 0)
        let frame = try small.frame(source: LLDPSamples.switchMAC)
        #expect(frame.count == 60)
        #expect(Array(frame[0..<14]) == [0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xcc])
        // The zero padding after End is not part of the LLDPDU.
        #expect(try LLDPDU(decoding: Array(frame[14...])) == small)
        let customer = try small.frame(source: LLDPSamples.switchMAC, destination: .lldpNearestCustomerBridge)
        #expect(Array(customer[0..<6]) == [0x01, 0x80, 0xc2, 0x00, 0x00, 0x00])
        let full = try LLDPSamples.switchLLDPDU.frame(source: LLDPSamples.switchMAC)
        #expect(full.count == 14 + LLDPSamples.switchLLDPDUWire.count)
    }

    @Test func aMissingEndTLVIsAccepted() throws {
        // 802.1AB-2016 made End optional: the frame's length ends the LLDPDU.
        let wire = Array(LLDPSamples.switchLLDPDUWire.dropLast(2))
        #expect(try LLDPDU(decoding: wire) == LLDPSamples.switchLLDPDU)
    }

    @Test func theEncoderRefusesFieldsTooLongForTheirTLV() {
        func encode(_ tlvs: [LLDPTLV], chassis: LLDPChassisID = .local("c")) -> LLDPEncodingError? {
            do { _ = try LLDPDU(chassisID: chassis, portID: .local("p"), timeToLive: 1, tlvs: tlvs).encode() } catch { return error }
            return nil
        }
        #expect(encode([.systemName(LLDPText(String(repeating: "n", count: 256)))]) == .badLength(type: 5, length: 256))
        #expect(encode([], chassis: .local("")) == .badLength(type: 1, length: 1))
        #expect(encode([], chassis: .local(LLDPText(String(repeating: "c", count: 256)))) == .badLength(type: 1, length: 257))
        #expect(encode([.organizational(.vlanName(vid: 1, name: LLDPText(String(repeating: "v", count: 33))))])
                == .badLength(type: 127, length: 40))
        #expect(encode([.managementAddress(LLDPManagementAddress(address: .other(family: 9, octets: [])))])
                == .badLength(type: 8, length: 7))
        #expect(encode([.unknown(type: 128, value: [])]) == .badLength(type: 128, length: 0))
        let many = [LLDPTLV](repeating: .unknown(type: 20, value: [UInt8](repeating: 0, count: 500)), count: 3)
        #expect(encode(many) == .tooLong(length: 4 + 4 + 4 + 3 * 502 + 2))
    }
}
