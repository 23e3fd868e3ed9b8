import Dataplane
import Foundation
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

/// lldpd's own LLDPDUs (Tests/FramesTests/Corpus), whole and damaged every way the issue
/// names, through the whole switch: punted, decoded or discarded whole and counted, never a
/// crash, never half a neighbour.
@Suite struct LLDPCorpusThroughTheSwitchTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appending(path: "../FramesTests/Corpus/lldpd-1.0.16.pcap").standardized

    /// The frames of a classic little-endian pcap file.
    static func frames() throws -> [[UInt8]] {
        let bytes = [UInt8](try Data(contentsOf: corpus))
        func le32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        var frames: [[UInt8]] = []
        var offset = 24
        while offset + 16 <= bytes.count {
            let length = le32(offset + 8)
            frames.append(Array(bytes[(offset + 16)..<(offset + 16 + length)]))
            offset += 16 + length
        }
        return frames
    }

    /// The TLVs of an LLDPDU's frame as (offset of the header, length of the value).
    static func tlvs(_ frame: [UInt8]) -> [(offset: Int, length: Int)] {
        var out: [(Int, Int)] = []
        var offset = 14
        while offset + 2 <= frame.count {
            let length = Int(frame[offset] & 1) << 8 | Int(frame[offset + 1])
            out.append((offset, length))
            if frame[offset] >> 1 == 0 { break }
            offset += 2 + length
        }
        return out
    }

    @Test func lldpdsFramesWholeAndDamaged() throws {
        let frames = try Self.frames()
        try #require(frames.count == 4)
        let lab = try VMreadyBench()
        var damaged: [[UInt8]] = []
        for frame in frames {
            // Every truncation inside the TLV area past the three mandatory TLVs' first octet.
            damaged += (15..<frame.count).map { Array(frame[0..<$0]) }.filter { cut in
                // Cuts that end exactly after a whole TLV are still well formed (End is optional).
                !Self.tlvs(frame).contains { $0.offset == cut.count }
            }
            for tlv in Self.tlvs(frame) where tlv.length > 0 {
                var longer = frame
                longer[tlv.offset + 1] &+= 200 // runs past the frame
                damaged.append(longer)
                var shorter = frame
                shorter[tlv.offset + 1] = 0 // a TLV too short for its type
                damaged.append(shorter)
            }
            // Without its TTL TLV (the third).
            let ttl = Self.tlvs(frame)[2]
            damaged.append(Array(frame[0..<ttl.offset]) + Array(frame[(ttl.offset + 2 + ttl.length)...]))
        }
        // Unknown TLVs filling the LLDPDU to 1,504 octets (the frame still fits a port's
        // 1,518): 802.1AB allows 1,500, so the whole LLDPDU goes.
        let first = frames[0], ttl = Self.tlvs(first)[2]
        let mandatory = Array(first[0..<(ttl.offset + 2 + ttl.length)])
        var filler = 1_502 - (mandatory.count - 14)
        var oversized = mandatory
        while filler > 0 {
            let length = min(511, filler - 2)
            oversized += [UInt8(127 << 1 | length >> 8), UInt8(length & 0xff), 0x00, 0x12, 0x0f, 0x7f]
                + [UInt8](repeating: 0xaa, count: length - 4)
            filler -= 2 + length
        }
        oversized += [0, 0]
        #expect(oversized.count == 14 + 1_504)
        damaged.append(oversized)
        // A length set to 0 can leave a well-formed LLDPDU (text TLVs may be empty, and what
        // followed reads as TLVs): those few count as received, the rest as discarded.
        let wellFormed = damaged.filter { frame in (try? LLDPDU(decoding: Array(frame[14...]))) != nil }.count
        #expect(wellFormed * 20 < damaged.count)
        for frame in damaged { lab.sendRaw(frame, on: 1) }
        // lldpd's last LLDPDU is its shutdown (TTL 0): the neighbour comes and goes.
        #expect(try LLDPDU(decoding: Array(frames[3][14...])).timeToLive == 0)
        for frame in frames.prefix(3) { lab.sendRaw(frame, on: 2) }
        let stats = lab.show("show lldp statistics port 1-2")
        let port1 = try #require(stats.first { $0.hasPrefix("1 ") }).split(separator: " ").map(String.init)
        let port2 = try #require(stats.first { $0.hasPrefix("2 ") }).split(separator: " ").map(String.init)
        // Port  Frames out  Frames in  Discarded  Ignored ...
        #expect(port1[2] == String(wellFormed) && port1[3] == String(damaged.count - wellFormed), "\(stats)")
        #expect(port2[2] == "3" && port2[3] == "0", "\(stats)")
        let neighbors = lab.show("show lldp remote-device")
        #expect(neighbors.count == 3, "one neighbour, on port 2 only: \(neighbors)")
        #expect(neighbors.last?.hasPrefix("2         | ") == true)
        lab.sendRaw(frames[3], on: 2)
        #expect(lab.show("show lldp remote-device").count == 2)
    }
}
