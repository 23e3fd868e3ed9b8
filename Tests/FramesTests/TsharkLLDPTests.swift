import Foundation
import Frames
import FrameTestSupport
import Testing

/// tshark (Wireshark's dissectors, written by nobody on this team) reads what the encoder
/// writes: every TLV the switch sends, field by field, with no malformed packet and no
/// expert warning.
@Suite struct TsharkLLDPTests {
    static let tshark = PacketTools.tshark

    @Test(.enabled(if: tshark != nil, "tshark is missing: run `make deps` (Debian package tshark)"))
    func tsharkDecodesEveryTLVTheSwitchSends() throws {
        let tshark = try #require(Self.tshark)
        let file = FileManager.default.temporaryDirectory.appending(path: "vmready-lldp-\(UUID().uuidString).pcap")
        defer { try? FileManager.default.removeItem(at: file) }
        try PacketTools.pcap([try LLDPSamples.switchLLDPDU.frame(source: LLDPSamples.switchMAC)]).write(to: file)

        let verbose = try PacketTools.output(tshark, ["-r", file.path, "-V"])
        #expect(!verbose.contains("Malformed"), "\(verbose)")
        #expect(!verbose.contains("Expert Info"), "\(verbose)")
        // No "Trailer" check: tshark 4.0's LLDP dissector reports three octets fewer than it
        // decodes, so the Ethernet layer always shows the LLDPDU's last three as a trailer
        // (lldpd's frames too); End of LLDPDU decoded below is what shows the TLVs line up.
        for line in [
            "Chassis Id: 02:00:00:00:00:01",
            "Port Id Subtype: Interface name (5)",
            "Port Id: port 3",
            "Time To Live = 120 sec",
            "Port Description: uplink",
            "System Name: sw1",
            "System Description: VMready 0.1.0",
            ".... .... .... .1.. = Bridge: Capable",
            "Enabled Capabilities: 0x0004",
            "Management Address: 198.18.0.1",
            "Interface Subtype: ifIndex (2)",
            "Interface Number: 3",
            "Port VLAN Identifier: 1 (0x0001)",
            "VLAN Name: default",
            "IEEE 802.1 Subtype: ETS Configuration (0x09)",
            "IEEE 802.1 Subtype: ETS Recommendation (0x0a)",
            "Maximum Number of Traffic Classes: 8 (0x0)",
            ".... .... .... 0001 = PGID for Prio 3: 1",
            "Bandwidth for PGID 0: 50",
            "Bandwidth for PGID 1: 30",
            "Bandwidth for PGID 2: 20",
            "TSA for Traffic Class 2: Enhanced Transmission Selection (2)",
            "TSA for Traffic Class 3: Strict Priority (0)",
            "IEEE 802.1 Subtype: Priority Flow Control Configuration (0x0b)",
            "IEEE 802.1 Subtype: Application Protocol (0x0c)",
            "FCoE Application",
            ".... .001 = Application Selector: Default or Ethertype (1)",
            "iSCSI Application",
            ".... .010 = Application Selector: Port over TCP/SCTP (2)",
            ".... 1... = PFC for Priority 3: Enabled",
            ".... 1000 = Max PFC Enabled Traffic Classes: 8",
            "End of LLDPDU",
        ] {
            #expect(verbose.contains(line), "missing \"\(line)\" in\n\(verbose)")
        }

        let fields = ["lldp.chassis.id.mac", "lldp.port.id", "lldp.time_to_live", "lldp.tlv.system.name",
                      "lldp.mgn.addr.ip4", "lldp.ieee.802_1.port_vlan.id", "lldp.ieee.802_1.vlan.name",
                      "lldp.dcbx.ieee.willing", "lldp.dcbx.ieee.pfc.numtcs", "lldp.dcbx.ieee.app.prio",
                      "lldp.dcbx.iee.app.sf", "lldp.dcbx.feature.app.proto"]
        let values = try PacketTools.output(tshark, ["-r", file.path, "-T", "fields", "-E", "separator=|"]
                                  + fields.flatMap { ["-e", $0] })
        // Willing twice (ETS Configuration, PFC); 3260 is iSCSI's TCP port.
        #expect(values.split(separator: "\n").map(String.init) == [
            "02:00:00:00:00:01|port 3|120|sw1|198.18.0.1|1|default|0,0|8|3,4|1,2|0x8906,0x0cbc",
        ])
    }
}
