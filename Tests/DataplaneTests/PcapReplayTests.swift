import Foundation
import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Replay from capture files the tests write, with every port's egress
/// captured and read back through libpcap.
@Suite final class PcapReplayTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dataplane-replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func write(_ frames: [(seconds: Int64, bytes: [UInt8])], to name: String) throws -> String {
        let path = "\(directory)/\(name)"
        let writer = try PcapFileWriter(path: path)
        for frame in frames {
            frame.bytes.withUnsafeBytes { writer.write($0, at: Timestamp(seconds: frame.seconds, nanoseconds: 250_000)) }
        }
        return path
    }

    func capture(port: Int) throws -> [(time: Timestamp, bytes: [UInt8])] {
        try PcapFileReader(path: "\(directory)/out/port-\(port).pcap").readAll()
    }

    @Test func filesAreMergedByTimestampAndEgressIsCaptured() throws {
        let a = station(0xa), b = station(0xb)
        let base: Int64 = 1_700_000_000
        let hello = FrameBuilder(destination: .broadcast, source: a).bytes
        let toB = FrameBuilder(destination: b, source: a).bytes
        let toA = FrameBuilder(destination: a, source: b).bytes
        let file1 = try write([(base + 1, hello), (base + 3, toB)], to: "in-1.pcap")
        let file2 = try write([(base + 2, toA)], to: "in-2.pcap")

        var config = try BridgeConfiguration(portCount: 3)
        try config.vlans.create(7)
        config[port: 3].mode = .trunk
        config[port: 3].nativeVLAN = 7
        let engine = try ForwardingEngine(configuration: config,
                                          attachments: [1: .file(file1), 2: .file(file2)],
                                          captureDirectory: "\(directory)/out")
        try engine.start()
        // start() returns once the files are replayed: the state is final already.
        let snapshot = engine.snapshot()
        engine.stop()

        #expect(snapshot.time == Timestamp(seconds: base + 3, nanoseconds: 250_000))
        #expect(snapshot.macEntries.map { [$0.mac, MACAddress(rawValue: UInt64($0.port))] }
                == [[a, MACAddress(rawValue: 1)], [b, MACAddress(rawValue: 2)]])
        #expect(snapshot.macEntries.first?.lastSeen == Timestamp(seconds: base + 3))
        #expect(snapshot.attachments[1] == "file:\(file1)")
        #expect(engine.ioKinds == [1: .file, 2: .file] && engine.attachmentNotices.isEmpty)
        #expect(snapshot.counters[0].rxFrames == 2 && snapshot.counters[0].flooded == 1
                && snapshot.counters[0].forwarded == 1)

        let out1 = try capture(port: 1), out2 = try capture(port: 2), out3 = try capture(port: 3)
        #expect(out1.map(\.bytes) == [toA])
        #expect(out2.map(\.bytes) == [hello, toB])
        // Capture timestamps follow the replayed clock (microsecond files).
        #expect(out2.map(\.time) == [Timestamp(seconds: base + 1, nanoseconds: 250_000),
                                     Timestamp(seconds: base + 3, nanoseconds: 250_000)])
        // Port 3 is a trunk whose native VLAN is 7: VLAN 1 leaves tagged.
        #expect(out3.count == 1)
        #expect(EgressFrame(port: 3, bytes: out3[0].bytes).vlanTag == 1)
        #expect(out3[0].bytes.count == hello.count + 4)
    }

    @Test func replayedTimeDrivesAgeing() throws {
        let a = station(0xa), b = station(0xb)
        let file1 = try write([(0, FrameBuilder(destination: .broadcast, source: a).bytes)], to: "in-1.pcap")
        // B asks for A 400 s later: A has aged out (300 s), so the frame floods.
        let file2 = try write([(400, FrameBuilder(destination: a, source: b).bytes)], to: "in-2.pcap")
        let config = try BridgeConfiguration(portCount: 3)
        let engine = try ForwardingEngine(configuration: config,
                                          attachments: [1: .file(file1), 2: .file(file2)],
                                          captureDirectory: "\(directory)/out")
        try engine.start()
        engine.stop()
        let counters = engine.counters()
        #expect(counters[1].flooded == 1 && counters[1].forwarded == 0)
        #expect(engine.macEntries().map(\.mac) == [b])
        #expect(try capture(port: 3).count == 2)
    }

    @Test func badFilesAreReportedNotCrashed() throws {
        let garbage = "\(directory)/garbage.pcap"
        try Data("not a capture".utf8).write(to: URL(fileURLWithPath: garbage))
        let config = try BridgeConfiguration(portCount: 2)
        #expect(throws: DataplaneError.self) {
            _ = try ForwardingEngine(configuration: config, attachments: [1: .file(garbage)])
        }
        #expect(throws: DataplaneError.self) {
            _ = try ForwardingEngine(configuration: config, attachments: [1: .file("\(directory)/missing.pcap")])
        }
        #expect(throws: DataplaneError.invalidPort(3)) {
            _ = try ForwardingEngine(configuration: config, attachments: [3: .memory(MemoryPort())])
        }
        #expect(throws: DataplaneError.replayNeedsVirtualClock) {
            _ = try ForwardingEngine(configuration: config,
                                     attachments: [1: .file(try write([], to: "empty.pcap"))], clock: SystemClock())
        }
        #expect(throws: DataplaneError.self) {
            _ = try ForwardingEngine(configuration: config, attachments: [1: .interface("no-such-if0")])
        }
        // AF_XDP refused for a missing interface falls back to libpcap, whose refusal
        // (naming the interface) is the port's error, whichever the kind asked for.
        for attachment in [PortAttachment.xdp("no-such-if0"), .pcap("no-such-if0"), .interface("no-such-if0")] {
            do {
                _ = try ForwardingEngine(configuration: config, attachments: [1: attachment])
                Issue.record("\(attachment) opened")
            } catch {
                guard case .pcap(_, "no-such-if0", _) = error else {
                    Issue.record("\(attachment): \(error)")
                    continue
                }
            }
        }
        let memory = try ForwardingEngine(configuration: config, attachments: [2: .memory(MemoryPort())])
        #expect(memory.ioKinds == [2: .memory] && memory.attachments == [2: "memory"])
        // What the switch says when it falls back.
        #expect(DataplaneError.xdp(target: "veth1", step: "mtu", errno: ERANGE, mtu: 9000).description
                == "veth1: AF_XDP: MTU 9000 is above the 3822 an AF_XDP frame holds")
        #expect(DataplaneError.xdp(target: "veth1", step: "capabilities", errno: EPERM, mtu: nil).description
                == "veth1: AF_XDP needs CAP_NET_ADMIN, CAP_NET_RAW and CAP_BPF (or CAP_SYS_ADMIN)")
        #expect(DataplaneError.xdp(target: "veth1", step: "xsk_socket__create", errno: EBUSY, mtu: nil).description
                .hasSuffix("(another XDP program on the interface? ip link set dev veth1 xdp off removes it)"))
        #expect(DataplaneError.xdp(target: "veth1", step: "xsk_umem__create", errno: ENOMEM, mtu: nil).description
                == "veth1: AF_XDP: xsk_umem__create: Cannot allocate memory")
    }
}

/// Damaged capture files: the reader says what is wrong with the file's own numbers, and
/// the frames before the damage are still read.
@Suite final class DamagedPcapTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dataplane-damaged-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A classic little-endian pcap file: header, then records as given (caplen as stated,
    /// `data` as written, so the two may disagree).
    func file(_ name: String, linkType: UInt32 = 1, records: [(caplen: UInt32, data: [UInt8])],
              tail: [UInt8] = []) throws -> String {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        u32(0xa1b2_c3d4); u16(2); u16(4); u32(0); u32(0); u32(65535); u32(linkType)
        for (n, record) in records.enumerated() {
            u32(1_700_000_000 + UInt32(n)); u32(0); u32(record.caplen); u32(record.caplen)
            d.append(contentsOf: record.data)
        }
        d.append(contentsOf: tail)
        let path = "\(directory)/\(name)"
        try d.write(to: URL(fileURLWithPath: path))
        return path
    }

    func frame(_ n: Int) -> [UInt8] { FrameBuilder(destination: .broadcast, source: station(n)).bytes }

    @Test func aTruncatedLastRecordKeepsTheFramesBeforeItAndSaysWhere() throws {
        let good = (1...4).map { (caplen: UInt32(frame($0).count), data: frame($0)) }
        let whole = frame(5)
        let path = try file("cut.pcap", records: good + [(UInt32(whole.count), Array(whole.prefix(40)))])
        let reader = try PcapFileReader(path: path)
        #expect(reader.readAll().count == 4)
        let offset = 24 + good.reduce(0) { $0 + 16 + $1.data.count }
        #expect(reader.damage == "file:\(path): record 5 at byte \(offset) is truncated (caplen \(whole.count), 40 bytes left); "
                + "4 frames before it replayed, the rest of the file skipped")
    }

    @Test func aRecordHeaderCutShortIsNamed() throws {
        let path = try file("header.pcap", records: [(UInt32(frame(1).count), frame(1))], tail: [1, 2, 3, 4, 5, 6, 7])
        let reader = try PcapFileReader(path: path)
        #expect(reader.readAll().count == 1)
        #expect(reader.damage?.hasPrefix("file:\(path): record 2 at byte \(24 + 16 + frame(1).count) is truncated "
                                         + "(16-byte record header, 7 bytes left)") == true, "\(reader.damage ?? "nil")")
    }

    @Test func aHugeCaplenIsNamedWithTheLimit() throws {
        let path = try file("huge.pcap", records: [(4_000_000, frame(1))])
        let reader = try PcapFileReader(path: path)
        #expect(reader.readAll().isEmpty)
        #expect(reader.damage == "file:\(path): record 1 at byte 24: caplen 4000000 exceeds the snapshot length 262144; "
                + "0 frames before it replayed, the rest of the file skipped")
    }

    @Test func aFileReadToItsEndHasNoDamage() throws {
        let path = try file("fine.pcap", records: [(UInt32(frame(1).count), frame(1))])
        let reader = try PcapFileReader(path: path)
        #expect(reader.readAll().count == 1)
        #expect(reader.damage == nil)
    }

    @Test func aRawIPFileNamesTheFilesLinkType() throws {
        let path = try file("raw.pcap", linkType: 101, records: [])
        #expect(throws: DataplaneError.unsupportedLinkType(target: "file:\(path)", linkType: 101, name: "RAW")) {
            try PcapFileReader(path: path)
        }
        let error = DataplaneError.unsupportedLinkType(target: "file:\(path)", linkType: 101, name: "RAW")
        #expect(error.description == "file:\(path): link type 101 (RAW) is not Ethernet (1)")
    }

    @Test func theEngineReportsDamageAfterReplayingTheGoodFrames() throws {
        let whole = frame(2)
        let path = try file("engine.pcap", records: [(UInt32(frame(1).count), frame(1)),
                                                     (UInt32(whole.count), Array(whole.prefix(20)))])
        let engine = try ForwardingEngine(configuration: try BridgeConfiguration(portCount: 2),
                                          attachments: [1: .file(path)])
        let damage = try engine.start()
        let snapshot = engine.snapshot()
        engine.stop()
        #expect(snapshot.counters[0].rxFrames == 1)
        #expect(damage.count == 1 && damage[0].hasPrefix("file:\(path): record 2 at byte"), "\(damage)")
    }
}
