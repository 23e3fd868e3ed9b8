import Foundation
import Testing
@testable import Dataplane
import FrameTestSupport

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

        var config = try SwitchConfiguration(portCount: 3)
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
        let config = try SwitchConfiguration(portCount: 3)
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
        let config = try SwitchConfiguration(portCount: 2)
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
    }
}
