import Dataplane
import FrameTestSupport
import Frames
import Protocols
import Switch
import Synchronization
import SwitchTypes
import Testing

/// LLDP as the switch runs it: what a port advertises follows the configuration (hostname,
/// description, VLANs), a port that goes down says goodbye even though it is down, and
/// subscribers hear of neighbours.
@Suite struct LLDPSwitchTests {
    /// The LLDPDUs a port sent since the last call, decoded.
    static func lldpdus(_ lab: VMreadyBench, port: Int) throws -> [LLDPDU] {
        try lab.ports[port].takeEgress().filter { $0.count > 14 && $0[12] == 0x88 && $0[13] == 0xcc }.map { frame in
            try frame.withUnsafeBytes { try LLDPDU(decoding: UnsafeRawBufferPointer(rebasing: $0[14...])) }
        }
    }

    @Test func aPortAdvertisesWhatTheConfigurationSays() throws {
        let lab = try VMreadyBench(setup: ["hostname rack9", "vlan 100", "name web", "exit", "interface port 4",
                                           "description \"uplink a\"", "switchport trunk allowed vlan 1,100", "exit",
                                           "system management-address 198.18.0.1"])
        lab.sw.settle()
        let sent = try Self.lldpdus(lab, port: 4)
        let last = try #require(sent.last)
        #expect(last.chassisID == .macAddress(lab.sw.systemMAC))
        #expect(last.portID == .interfaceName("port 4"))
        #expect(last.timeToLive == 120)
        #expect(last.systemName == "rack9")
        #expect(last.portDescription == "uplink a")
        #expect(last.organizationalTLVs.contains(.portVLANID(1)))
        #expect(last.organizationalTLVs.contains(.vlanName(vid: 100, name: "web")))
        #expect(last.organizationalTLVs.contains(.vlanName(vid: 1, name: "default")))
        #expect(last.tlvs.contains(.managementAddress(LLDPManagementAddress(address: .ipv4(IPv4Address(198, 18, 0, 1))))))
    }

    @Test func aPortShutDownSendsItsShutdownLLDPDUThoughDown() throws {
        let lab = try VMreadyBench()
        lab.sw.settle()
        _ = try Self.lldpdus(lab, port: 3)
        try lab.run(["configure terminal", "interface port 3", "shutdown", "end"])
        lab.sw.settle()
        #expect(try Self.lldpdus(lab, port: 3).map(\.timeToLive) == [0])
        // Down, it sends nothing more, however long it stays down.
        lab.sw.controlPlane.catchUp(to: lab.clock.now().adding(seconds: 300), setClock: lab.clock.set)
        #expect(try Self.lldpdus(lab, port: 3).isEmpty)
    }

    @Test func subscribersHearOfNeighbours() throws {
        let lab = try VMreadyBench()
        let heard = Mutex<[String]>([])
        lab.sw.lldpNeighborEvents.subscribe { event in
            let kind = switch event.kind {
            case .added: "added"
            case .changed: "changed"
            case .removed(let why): "removed \(why)"
            }
            heard.withLock { $0.append("\(kind) \(event.port) \(event.neighbor.chassisID)") }
        }
        let neighbor = MACAddress(0x02, 0, 0, 0, 0, 0x21)
        var unit = LLDPDU(chassisID: .macAddress(neighbor), portID: .interfaceName("eth0"), timeToLive: 10)
        lab.sendRaw(try unit.frame(source: neighbor), on: 2)
        unit.timeToLive = 0
        lab.sendRaw(try unit.frame(source: neighbor), on: 2)
        #expect(heard.withLock { $0 } == ["added 2 02:00:00:00:00:21", "removed shutdown 2 02:00:00:00:00:21"])
    }
}

extension VMreadyBench {
    /// Receives a frame given as bytes on `port`, a second after the last.
    func sendRaw(_ bytes: [UInt8], on port: Int) {
        sw.controlPlane.catchUp(to: clock.now().adding(seconds: 1), setClock: clock.set)
        sw.dataplane.withPipeline { pipeline in
            bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: port) }
        }
        sw.settle()
    }
}
