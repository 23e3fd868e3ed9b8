import Frames
import Testing

/// What a neighbour sends is shown to an operator's terminal: its strings must not carry
/// control sequences there, and identifiers print as operators read them.
@Suite struct LLDPTextDisplayTests {
    @Test func controlCharactersAreShownEscaped() {
        let hostile = LLDPText(octets: Array("esx\u{1b}[2J\r\nroot#".utf8) + [0x7f, 0xc2, 0x9b] + Array("ok".utf8))
        #expect(hostile.description == "esx\\x1b[2J\\x0d\\x0aroot#\\x7f\\x9bok")
        #expect(LLDPText("café ünï").description == "café ünï")
        // Invalid UTF-8 is replaced, never passed through.
        #expect(LLDPText(octets: [0x66, 0xff, 0x6f]).description == "f\u{fffd}o")
    }

    @Test func identifiersPrintAsOperatorsReadThem() {
        #expect(LLDPChassisID.macAddress(MACAddress(0x02, 0, 0, 0, 0, 0x11)).description == "02:00:00:00:00:11")
        #expect(LLDPPortID.interfaceName("vmnic0").description == "vmnic0")
        #expect(LLDPPortID.agentCircuitID([0x0a, 0xff]).description == "0a:ff")
        #expect(LLDPChassisID.networkAddress(.ipv4(IPv4Address(198, 18, 0, 1))).description == "198.18.0.1")
    }
}
