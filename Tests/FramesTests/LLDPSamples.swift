import Frames

/// The LLDPDUs the tests start from, and their bytes written by hand from 802.1AB-2016
/// clause 8 and 802.1Qaz annex D (not produced by the encoder under test).
enum LLDPSamples {
    static let switchMAC = MACAddress(0x02, 0x00, 0x00, 0x00, 0x00, 0x01)

    /// The ETS tables used throughout: priorities 0–2 in TC 0, 3–5 in TC 1, 6–7 in TC 2;
    /// 50/30/20 % ETS bandwidth.
    static let tables = ETSTables(priorityTrafficClass: [0, 0, 0, 1, 1, 1, 2, 2],
                                  trafficClassBandwidth: [50, 30, 20, 0, 0, 0, 0, 0],
                                  trafficClassAlgorithm: [2, 2, 2, 0, 0, 0, 0, 0])

    /// Every TLV the switch sends (protocols.md, LLDP "Transmit" and DCBX).
    static let switchLLDPDU = LLDPDU(
        chassisID: .macAddress(switchMAC), portID: .interfaceName("port 3"), timeToLive: 120,
        tlvs: [
            .portDescription("uplink"),
            .systemName("sw1"),
            .systemDescription("VMready 0.1.0"),
            .systemCapabilities(LLDPSystemCapabilities(supported: .bridge, enabled: .bridge)),
            .managementAddress(LLDPManagementAddress(address: .ipv4(IPv4Address(198, 18, 0, 1)),
                                                     interfaceNumbering: LLDPManagementAddress.InterfaceNumbering.ifIndex,
                                                     interfaceNumber: 3)),
            .organizational(.portVLANID(1)),
            .organizational(.vlanName(vid: 1, name: "default")),
            .organizational(.etsConfiguration(ETSConfiguration(willing: false, creditBasedShaper: false,
                                                               maxTrafficClasses: 8, tables: tables))),
            .organizational(.etsRecommendation(tables)),
            .organizational(.pfcConfiguration(PFCConfiguration(willing: false, macsecBypassCapability: false,
                                                               capability: 8, enabled: 0x08))),
            .organizational(.applicationPriority(ApplicationPriority(entries: [
                ApplicationPriorityEntry(priority: 3, selector: ApplicationPriorityEntry.Selector.etherType, protocolID: 0x8906),
                ApplicationPriorityEntry(priority: 4, selector: ApplicationPriorityEntry.Selector.tcpSCTPPort, protocolID: 3260),
            ]))),
        ])

    /// `switchLLDPDU`, TLV by TLV: (what it is, its bytes).
    static let switchLLDPDUBytes: [(String, [UInt8])] = [
        // Type 1, length 7 (0x0207): subtype 4 (MAC), 02:00:00:00:00:01.
        ("Chassis ID", [0x02, 0x07, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01]),
        // Type 2, length 7 (0x0407): subtype 5 (interface name), "port 3".
        ("Port ID", [0x04, 0x07, 0x05, 0x70, 0x6f, 0x72, 0x74, 0x20, 0x33]),
        // Type 3, length 2 (0x0602): 120 s.
        ("TTL", [0x06, 0x02, 0x00, 0x78]),
        // Type 4, length 6 (0x0806): "uplink".
        ("Port Description", [0x08, 0x06, 0x75, 0x70, 0x6c, 0x69, 0x6e, 0x6b]),
        // Type 5, length 3 (0x0a03): "sw1".
        ("System Name", [0x0a, 0x03, 0x73, 0x77, 0x31]),
        // Type 6, length 13 (0x0c0d): "VMready 0.1.0".
        ("System Description", [0x0c, 0x0d, 0x56, 0x4d, 0x72, 0x65, 0x61, 0x64, 0x79, 0x20, 0x30, 0x2e, 0x31, 0x2e, 0x30]),
        // Type 7, length 4 (0x0e04): supported bridge (bit 2), enabled bridge.
        ("System Capabilities", [0x0e, 0x04, 0x00, 0x04, 0x00, 0x04]),
        // Type 8, length 12 (0x100c): address string length 5, family 1 (IPv4), 198.18.0.1,
        // interface subtype 2 (ifIndex), interface 3, OID length 0.
        ("Management Address", [0x10, 0x0c, 0x05, 0x01, 0xc6, 0x12, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00]),
        // Type 127, length 6 (0xfe06): OUI 00-80-C2, subtype 1, PVID 1.
        ("Port VLAN ID", [0xfe, 0x06, 0x00, 0x80, 0xc2, 0x01, 0x00, 0x01]),
        // Type 127, length 14 (0xfe0e): subtype 3, VID 1, name length 7, "default".
        ("VLAN Name", [0xfe, 0x0e, 0x00, 0x80, 0xc2, 0x03, 0x00, 0x01, 0x07, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74]),
        // Type 127, length 25 (0xfe19): subtype 9; not willing, no CBS, max TCs 8 (sent as 0);
        // priority table 0,0 | 0,1 | 1,1 | 2,2 as nibbles; bandwidths 50 30 20; TSA ETS for TCs 0–2.
        ("ETS Configuration", [0xfe, 0x19, 0x00, 0x80, 0xc2, 0x09, 0x00, 0x00, 0x01, 0x11, 0x22,
                               0x32, 0x1e, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
                               0x02, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]),
        // Type 127, length 25: subtype 10, a reserved octet, then the same tables.
        ("ETS Recommendation", [0xfe, 0x19, 0x00, 0x80, 0xc2, 0x0a, 0x00, 0x00, 0x01, 0x11, 0x22,
                                0x32, 0x1e, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0x02, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00]),
        // Type 127, length 6: subtype 11; not willing, no MBC, PFC cap 8; PFC on priority 3.
        ("PFC Configuration", [0xfe, 0x06, 0x00, 0x80, 0xc2, 0x0b, 0x08, 0x08]),
        // Type 127, length 11 (0xfe0b): subtype 12, reserved octet, then (priority 3 << 5 |
        // selector 1) 0x8906 FCoE, (priority 4 << 5 | selector 2) TCP 3260 iSCSI.
        ("Application Priority", [0xfe, 0x0b, 0x00, 0x80, 0xc2, 0x0c, 0x00, 0x61, 0x89, 0x06, 0x82, 0x0c, 0xbc]),
        ("End", [0x00, 0x00]),
    ]

    static var switchLLDPDUWire: [UInt8] { switchLLDPDUBytes.flatMap(\.1) }

    /// Chassis ID, Port ID and TTL of `switchLLDPDUBytes`, as raw TLVs.
    static var mandatoryWire: [UInt8] { switchLLDPDUBytes.prefix(3).flatMap(\.1) }

    /// A TLV header: 7-bit type, 9-bit length.
    static func header(type: UInt8, length: Int) -> [UInt8] {
        [type << 1 | UInt8(length >> 8 & 1), UInt8(length & 0xff)]
    }
}
