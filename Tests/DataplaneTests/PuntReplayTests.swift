import Foundation
import Frames
import Synchronization
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Replayed captures go through the same pipeline as live traffic, so their
/// control frames are punted, at the capture's own time.
@Suite final class PuntReplayTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dataplane-punt-replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    @Test func aReplayedLLDPFrameIsPuntedWithTheCapturesTimestamp() throws {
        var lldp = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_000e), source: station(0xa))
        lldp.etherType = 0x88cc
        lldp.payload = [0x02, 0x07, 0x04] + Array(repeating: 0x11, count: 6) + Array(repeating: 0, count: 37)
        let hello = FrameBuilder(destination: .broadcast, source: station(0xa)).bytes
        let path = "\(directory)/in.pcap"
        let writer = try PcapFileWriter(path: path)
        lldp.bytes.withUnsafeBytes { writer.write($0, at: Timestamp(seconds: 1_700_000_100, nanoseconds: 250_000)) }
        hello.withUnsafeBytes { writer.write($0, at: Timestamp(seconds: 1_700_000_101)) }
        writer.flush()

        let engine = try ForwardingEngine(configuration: BridgeConfiguration(portCount: 2),
                                          attachments: [2: .file(path)], captureDirectory: "\(directory)/out")
        try engine.start()
        engine.stop()
        var punted: [(port: Int, time: Timestamp, bytes: [UInt8])] = []
        #expect(engine.receivePunted { punted.append(($0.port, $0.time, Array($0.bytes))) } == 1)
        #expect(punted.first?.port == 2)
        #expect(punted.first?.time == Timestamp(seconds: 1_700_000_100, nanoseconds: 250_000))
        #expect(punted.first?.bytes == lldp.bytes)
        let counters = engine.counters()[1]
        #expect(counters.rxFrames == 2 && counters.punted == 1 && counters.flooded == 1)
        // Only the ordinary frame went out of port 1.
        #expect(try PcapFileReader(path: "\(directory)/out/port-1.pcap").readAll().map(\.bytes) == [hello])
    }

    /// An engine that will replay, on port 1, an LLDP frame at t+10 s and another at t+40 s,
    /// capturing its egress in `directory/out`.
    func engineReplayingTwoLLDPFrames() throws -> ForwardingEngine {
        var lldp = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_000e), source: station(0xa))
        lldp.etherType = 0x88cc
        let path = "\(directory)/in.pcap"
        let writer = try PcapFileWriter(path: path)
        for second: Int64 in [10, 40] {
            lldp.bytes.withUnsafeBytes { writer.write($0, at: Timestamp(seconds: 1_700_000_000 + second)) }
        }
        writer.flush()
        return try ForwardingEngine(configuration: BridgeConfiguration(portCount: 2),
                                    attachments: [1: .file(path)], captureDirectory: "\(directory)/out")
    }

    @Test func anAnswerToAReplayedFrameGoesOutAtThatFramesTime() throws {
        let engine = try engineReplayingTwoLLDPFrames()
        let answer = InjectTests.frame(length: 80)
        // The control plane, played here by the replay's own callback: it reads each
        // punted frame and answers on the same port.
        try engine.start(afterEachReplayedFrame: {
            engine.receivePunted { frame in _ = engine.transmit(answer, port: frame.port) }
        })
        engine.stop()
        let sent = try PcapFileReader(path: "\(directory)/out/port-1.pcap").readAll()
        #expect(sent.map(\.bytes) == [answer, answer])
        #expect(sent.map(\.time) == [Timestamp(seconds: 1_700_000_010), Timestamp(seconds: 1_700_000_040)])
    }

    /// A timer due between two replayed frames (played by the hook: one frame 5 s after
    /// each replayed one) is sent at its own time, before the next frame, in the capture.
    @Test func timersBetweenReplayedFramesSendAtTheirOwnTime() throws {
        let engine = try engineReplayingTwoLLDPFrames()
        let timer = InjectTests.frame(length: 64)
        let due = Mutex<Timestamp?>(nil)
        try engine.start(untilEachReplayedFrame: { time, moveClock in
            if let deadline = due.withLock({ $0 }), deadline <= time {
                moveClock(deadline)
                engine.transmit(timer, port: 2)
            }
            due.withLock { $0 = time.adding(seconds: 5) }
        }, afterEachReplayedFrame: {
            engine.receivePunted { _ in }
        })
        engine.stop()
        let sent = try PcapFileReader(path: "\(directory)/out/port-2.pcap").readAll()
        #expect(sent.map(\.time) == [Timestamp(seconds: 1_700_000_015)])
    }
}
