import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

@Suite struct BridgeConfigurationTests {
    @Test func vlanSetRendersCompactRanges() {
        var set = VLANSet([1, 2, 3, 10, 20, 21, 4094])
        #expect(set.description == "1-3,10,20-21,4094")
        set.remove(2)
        #expect(set.ranges == [1...1, 3...3, 10...10, 20...21, 4094...4094])
        #expect(VLANSet.all.count == 4094 && VLANSet.all.description == "1-4094")
        #expect(VLANSet([0, 4095, 5]).members == [5])
        #expect(VLANSet([1, 2]).intersection(VLANSet([2, 3])).members == [2])
        #expect(VLANSet([1, 2]).subtracting(VLANSet([2])).members == [1])
        #expect(VLANSet().isEmpty)
    }

    @Test func vlanTableKeepsVLAN1AndNames() throws {
        var table = VLANTable()
        #expect(table.contains(1) && table.name(of: 1) == "default")
        #expect(throws: BridgeConfigurationError.defaultVLANCannotBeDeleted) { try table.delete(1) }
        #expect(throws: BridgeConfigurationError.invalidVLAN(4095)) { try table.create(4095) }
        #expect(throws: BridgeConfigurationError.noSuchVLAN(100)) { try table.setName("web", of: 100) }
        try table.create(100)
        #expect(table.name(of: 100) == "VLAN0100")
        try table.setName("web", of: 100)
        #expect(table.name(of: 100) == "web" && table.configuredName(of: 100) == "web")
        try table.delete(100)
        #expect(!table.contains(100))
        try table.create(100)
        #expect(table.configuredName(of: 100) == nil)
    }

    @Test func switchConfigurationValidates() throws {
        #expect(throws: BridgeConfigurationError.invalidPortCount(0)) { _ = try BridgeConfiguration(portCount: 0) }
        #expect(throws: BridgeConfigurationError.invalidPortCount(65)) { _ = try BridgeConfiguration(portCount: 65) }
        var config = try BridgeConfiguration()
        #expect(config.portCount == 8 && config.macLimit == 32768 && config.macAgeingSeconds == 300)
        #expect(config[port: 1] == PortConfiguration())
        #expect(throws: BridgeConfigurationError.invalidPort(9)) {
            try config.addStaticMACEntry(StaticMACEntry(mac: station(1), vlan: 1, port: 9))
        }
        #expect(throws: BridgeConfigurationError.invalidStaticMAC(.broadcast)) {
            try config.addStaticMACEntry(StaticMACEntry(mac: .broadcast, vlan: 1, port: 1))
        }
        try config.addStaticMACEntry(StaticMACEntry(mac: station(1), vlan: 1, port: 1))
        try config.addStaticMACEntry(StaticMACEntry(mac: station(1), vlan: 1, port: 2))
        #expect(config.staticMACEntries == [StaticMACEntry(mac: station(1), vlan: 1, port: 2)])
        config.macAgeingSeconds = -1
        #expect(throws: BridgeConfigurationError.invalidAgeingTime(-1)) { try config.validate() }
        config.macAgeingSeconds = 0
        config[port: 3].accessVLAN = 0
        #expect(throws: BridgeConfigurationError.invalidVLAN(0)) { try config.validate() }
    }

    @Test func attachmentSyntax() {
        #expect(PortAttachment(parsing: "veth1").description == "veth1")
        #expect(PortAttachment(parsing: "file:/tmp/in.pcap").description == "file:/tmp/in.pcap")
        if case .file(let path) = PortAttachment(parsing: "file:in.pcap") { #expect(path == "in.pcap") } else {
            Issue.record("file: prefix not recognised")
        }
        if case .xdp(let name) = PortAttachment(parsing: "xdp:veth1") { #expect(name == "veth1") } else {
            Issue.record("xdp: prefix not recognised")
        }
        if case .pcap(let name) = PortAttachment(parsing: "pcap:veth1") { #expect(name == "veth1") } else {
            Issue.record("pcap: prefix not recognised")
        }
        if case .interface(let name) = PortAttachment(parsing: "veth1") { #expect(name == "veth1") } else {
            Issue.record("a plain name is not an interface the switch chooses the I/O of")
        }
        // What show interface calls the port: the interface without its I/O prefix.
        #expect(PortAttachment(parsing: "xdp:veth1").target == "veth1")
        #expect(PortAttachment(parsing: "pcap:veth1").target == "veth1")
        #expect(PortAttachment(parsing: "file:in.pcap").target == "file:in.pcap")
    }

    /// `--attach` values are operator input: any text parses to something whose
    /// description gives the text back, never a crash; truncations of every prefix too.
    @Test func attachmentSyntaxFuzzed() {
        var random = StationUpdateDifferentialTests.SeededGenerator(state: 0x5844_5021)
        let alphabet = Array("xdpcapfile:/.-_veth0123456789 é\u{0}")
        var inputs = ["xdp:veth1", "pcap:veth1", "file:in.pcap", "veth1"].flatMap { text in
            (0...text.count).map { String(text.prefix($0)) }
        }
        for _ in 0..<2000 {
            let length = Int.random(in: 0...12, using: &random)
            inputs.append(String((0..<length).map { _ in alphabet.randomElement(using: &random)! }))
        }
        for text in inputs {
            let attachment = PortAttachment(parsing: text)
            #expect(attachment.description == text)
            switch attachment {
            case .interface(let name): #expect(name == text && attachment.target == text)
            case .xdp(let name): #expect("xdp:" + name == text && attachment.target == name)
            case .pcap(let name): #expect("pcap:" + name == text && attachment.target == name)
            case .file(let path): #expect("file:" + path == text)
            case .memory: Issue.record("text parsed as a memory port: \(text)")
            }
        }
    }

    @Test func timestampArithmetic() {
        let time = Timestamp(seconds: 10, nanoseconds: 5)
        #expect(time.seconds == 10 && time.subsecondNanoseconds == 5)
        #expect(Timestamp(nanoseconds: -1).seconds == -1)
        #expect(time.adding(seconds: 1.5) == Timestamp(seconds: 11, nanoseconds: 500_000_005))
        let clock = VirtualClock(start: time)
        clock.advance(seconds: 2)
        #expect(clock.now() == Timestamp(seconds: 12, nanoseconds: 5))
    }
}
