import Frames

// lldp.rx_ns: decoding one typical LLDPDU, the one the switch itself sends (every TLV of
// protocols.md's LLDP and DCBX lists, 197 octets of TLVs), from bytes to an `LLDPDU` value.
// The neighbour-table update that follows a decode arrives with the LLDP agent and is not in
// this figure yet. Best of three runs of 200,000 decodes, in nanoseconds per LLDPDU.

func runLLDPBenchmarks() throws {
    guard selected("lldp.rx_ns") else { return }
    let wire = try typicalLLDPDU().encode()
    var best = Double.infinity
    for _ in 0..<3 {
        let rounds = 200_000
        var sink = 0
        let start = now()
        try wire.withUnsafeBytes { buffer in
            for _ in 0..<rounds { sink &+= try LLDPDU(decoding: buffer).tlvs.count }
        }
        best = min(best, Double(now() - start) / Double(rounds))
        if sink == 42 { print("") } // keeps the decodes observable
    }
    report("lldp.rx_ns", best, "ns")
}

private func typicalLLDPDU() -> LLDPDU {
    let tables = ETSTables(priorityTrafficClass: [0, 0, 0, 1, 1, 1, 2, 2],
                           trafficClassBandwidth: [50, 30, 20, 0, 0, 0, 0, 0],
                           trafficClassAlgorithm: [2, 2, 2, 0, 0, 0, 0, 0])
    return LLDPDU(
        chassisID: .macAddress(MACAddress(0x02, 0x00, 0x00, 0x00, 0x00, 0x01)), portID: .interfaceName("port 3"),
        timeToLive: 120,
        tlvs: [
            .portDescription("uplink to esx-a vmnic0"),
            .systemName("vmready-sw1.lab"),
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
                ApplicationPriorityEntry(priority: 3, selector: 1, protocolID: 0x8906),
            ]))),
        ])
}
