import Frames
import Protocols
import SwitchTypes

// lldp.rx_ns: one typical LLDPDU received by the LLDP agent (the one the switch itself sends:
// every TLV of protocols.md's LLDP and DCBX lists, about 200 octets), from the punted frame
// to the neighbour table updated: frame checks, decode, counters, table refresh. 1,000
// neighbours (chassis IDs) on 8 ports take turns, so the table holds what a rack of
// hypervisors makes. Best of three runs of 200,000 frames, in nanoseconds per LLDPDU.
// lldp.decode_ns is the decode alone.

func runLLDPBenchmarks() throws {
    if selected("lldp.decode_ns") {
        let wire = try typicalLLDPDU().encode()
        report("lldp.decode_ns", bestOfThree(rounds: 200_000) { rounds in
            var sink = 0
            try? wire.withUnsafeBytes { buffer in
                for _ in 0..<rounds { sink &+= try LLDPDU(decoding: buffer).tlvs.count }
            }
            if sink == 42 { print("") } // keeps the decodes observable
        }, "ns")
    }
    if selected("lldp.rx_ns") {
        var settings = LLDPSettings(chassisMAC: MACAddress(0x02, 0x00, 0x5e, 0x00, 0x00, 0x01), portCount: 8)
        settings.systemName = "bench"
        let agent = LLDPAgent(settings: settings)
        _ = agent.run(at: Timestamp(seconds: 0))
        let frames = try (0..<1_000).map { n -> [UInt8] in
            var unit = try typicalLLDPDU()
            let source = MACAddress(rawValue: 0x0200_0000_0000 | UInt64(n))
            unit.chassisID = .macAddress(source)
            return try unit.frame(source: source)
        }
        report("lldp.rx_ns", bestOfThree(rounds: 200_000) { rounds in
            for round in 0..<rounds {
                let frame = frames[round % frames.count]
                _ = frame.withUnsafeBytes { agent.receive($0, port: 1 + round % 8, at: Timestamp(seconds: 1)) }
            }
        }, "ns")
        _ = agent.nextDeadline // the loop's end of step: publishes the snapshot
        if agent.snapshot.neighbors.entries.count != 256 { print("lldp.rx_ns: expected the 8 x 32 neighbours the table keeps") }
    }
}

/// Nanoseconds per round of `body(rounds)`, best of three runs.
private func bestOfThree(rounds: Int, _ body: (Int) -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<3 {
        let start = now()
        body(rounds)
        best = min(best, Double(now() - start) / Double(rounds))
    }
    return best
}

/// What the switch sends on port 3 with its LLDP and DCBX settings filled in, built by the
/// agent's own encoder (with DCBX's TLVs added, as they will be once DCBX rides the agent).
private func typicalLLDPDU() throws -> LLDPDU {
    var settings = LLDPSettings(chassisMAC: MACAddress(0x02, 0x00, 0x00, 0x00, 0x00, 0x01), portCount: 8)
    settings.systemName = "vmready-sw1.lab"
    settings.systemDescription = "VMready 0.1.0"
    settings.managementAddress = IPv4Address(198, 18, 0, 1)
    settings.ports[2].description = "uplink to esx-a vmnic0"
    settings.ports[2].portVLANID = 1
    settings.ports[2].vlanNames = [(1, "default")]
    var dcbx = DCBXSettings()
    dcbx.enabled = true
    dcbx.priorityGroups = [0: .init(priorities: [0, 1, 2], bandwidth: 50), 1: .init(priorities: [3, 4, 5], bandwidth: 30),
                           2: .init(priorities: [6, 7], bandwidth: 20)]
    dcbx.pfcPriorities = [3]
    dcbx.applications = [ApplicationPriorityEntry(priority: 3, selector: ApplicationPriorityEntry.Selector.etherType,
                                                  protocolID: 0x8906)]
    guard let frame = LLDPAgent.frame(for: 3, in: settings, timeToLive: 120) else { throw LLDPBenchError() }
    var unit = try frame.withUnsafeBytes { try LLDPDU(decoding: UnsafeRawBufferPointer(rebasing: $0[14...])) }
    unit.tlvs += DCBXOperational.tlvs(local: dcbx, port: DCBXSettings.Port())
    return unit
}

private struct LLDPBenchError: Error {}
