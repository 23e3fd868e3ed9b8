import Foundation
import Frames
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// The inject path (protocols.md, "The seam in the dataplane"): frames the
/// control plane hands to the engine for one port.
@Suite final class InjectTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dataplane-inject-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    static let lldpAddress = MACAddress(rawValue: 0x0180_c200_000e)

    /// An LLDP-like frame of `length` bytes whose payload counts up, so any change shows.
    static func frame(length: Int, destination: MACAddress = lldpAddress) -> [UInt8] {
        var builder = FrameBuilder(destination: destination, source: station(0x5a))
        builder.etherType = 0x88cc
        builder.payload = (0..<(length - 14)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        return builder.bytes
    }

    /// Port 2 a trunk allowing VLAN 10 only, port 3 shut down.
    static func configuration() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 3)
        try config.vlans.create(10)
        config[port: 2].mode = .trunk
        config[port: 2].trunkAllowedVLANs = VLANSet([10])
        config[port: 3].isEnabled = false
        return config
    }

    @Test func aTransmittedFrameLeavesItsPortUntouchedAndIsCaptured() throws {
        let ports = (1...3).map { _ in MemoryPort() }
        let clock = VirtualClock(start: Timestamp(seconds: 1_800_000_000, nanoseconds: 5000))
        let engine = try ForwardingEngine(configuration: Self.configuration(),
                                          attachments: [1: .memory(ports[0]), 2: .memory(ports[1]),
                                                        3: .memory(ports[2])],
                                          captureDirectory: "\(directory)/out", clock: clock)
        // Parked: sent right away, on this thread.
        let first = Self.frame(length: 100)
        #expect(engine.transmit(first, port: 2))
        #expect(ports[1].takeEgress() == [first], "no VLAN processing on a trunk")
        #expect(ports[0].takeEgress().isEmpty && ports[2].takeEgress().isEmpty)

        // Running: sent by the forwarding thread before its next batch.
        try engine.start()
        let second = Self.frame(length: 1522, destination: station(7))
        second.withUnsafeBytes { #expect(engine.transmit($0, port: 1)) }
        engine.withPipeline { _ in }
        #expect(ports[0].takeEgress() == [second])
        let counters = engine.counters()
        engine.stop()
        #expect(counters[0].originated == 1 && counters[0].txFrames == 1 && counters[0].txBytes == 1522)
        #expect(counters[1].originated == 1 && counters[1].txBytes == 100)
        // Nothing was received: an originated frame is not learned from or forwarded.
        #expect(counters.allSatisfy { $0.rxFrames == 0 && $0.flooded == 0 })
        #expect(engine.macEntries().isEmpty)

        let captured = try PcapFileReader(path: "\(directory)/out/port-2.pcap").readAll()
        #expect(captured.map(\.bytes) == [first])
        #expect(captured.first?.time == Timestamp(seconds: 1_800_000_000, nanoseconds: 5000))
        #expect(try PcapFileReader(path: "\(directory)/out/port-1.pcap").readAll().map(\.bytes) == [second])
    }

    @Test func shortFramesArePaddedTo60Bytes() throws {
        let port = MemoryPort()
        let engine = try ForwardingEngine(configuration: Self.configuration(), attachments: [1: .memory(port)])
        let short = Array(Self.frame(length: 60).prefix(20))
        #expect(engine.transmit(short, port: 1))
        #expect(port.takeEgress() == [short + Array(repeating: 0, count: 40)])
        let exact = Self.frame(length: 60)
        #expect(engine.transmit(exact, port: 1))
        #expect(port.takeEgress() == [exact])
        #expect(engine.counters()[0].txBytes == 120)
    }

    @Test func aDisabledPortSendsOnlyWhenTheProtocolSaysSo() throws {
        let port = MemoryPort()
        let engine = try ForwardingEngine(configuration: Self.configuration(), attachments: [3: .memory(port)])
        let frame = Self.frame(length: 64)
        // Queued, but the port is shut down when it would go out.
        #expect(engine.transmit(frame, port: 3))
        #expect(port.takeEgress().isEmpty)
        #expect(engine.transmit(frame, port: 3, evenIfDisabled: true))
        #expect(port.takeEgress() == [frame])
        let counters = engine.counters()[2]
        #expect(counters.originated == 1 && counters.txFrames == 1 && counters.txDropped == 1)
    }

    @Test(arguments: [0, 4, -1])
    func framesForNoPortAreRefused(_ port: Int) throws {
        let engine = try ForwardingEngine(configuration: Self.configuration())
        #expect(!engine.transmit(Self.frame(length: 64), port: port))
        #expect(engine.counters().allSatisfy { $0.originated == 0 && $0.originateRefused == 0 })
    }

    @Test(arguments: [0, 13, 1523])
    func framesOfABadLengthAreRefusedAndCounted(_ length: Int) throws {
        let engine = try ForwardingEngine(configuration: Self.configuration())
        #expect(!engine.transmit(Array(repeating: 0xee, count: length), port: 1))
        #expect(engine.counters()[0].originateRefused == 1)
        engine.clearCounters()
        #expect(engine.counters()[0].originateRefused == 0)
    }

    @Test func aFullQueueRefusesAndCounts() throws {
        let queue = TransmitQueue(portCount: 2, capacity: 3)
        #expect(queue.capacity == 4)
        let frame = Self.frame(length: 64)
        let accepted = (0..<6).map { number in
            frame.withUnsafeBytes { queue.push($0, port: number % 2 + 1, evenIfDisabled: number == 1) }
        }
        #expect(accepted == [true, true, true, true, false, false])
        #expect(queue.refusals(port: 1) == 1 && queue.refusals(port: 2) == 1)
        var drained: [(Int, Bool, [UInt8])] = []
        #expect(queue.drain { drained.append(($1, $2, Array($0))) } == 4)
        #expect(drained.map(\.0) == [1, 2, 1, 2])
        #expect(drained.map(\.1) == [false, true, false, false])
        #expect(drained.allSatisfy { $0.2 == frame })
        #expect(queue.isEmpty)
        // Room again once drained.
        #expect(frame.withUnsafeBytes { queue.push($0, port: 1, evenIfDisabled: false) })
        queue.clearRefusals(port: 1)
        #expect(queue.refusals(port: 1) == 0 && queue.refusals(port: 2) == 1)
    }

    @Test func originatedCountersAreCleared() throws {
        let engine = try ForwardingEngine(configuration: Self.configuration())
        #expect(engine.transmit(Self.frame(length: 64), port: 1))
        #expect(engine.counters()[0].originated == 1)
        engine.clearCounters(port: 1)
        #expect(engine.counters()[0].originated == 0 && engine.counters()[0].txFrames == 0)
    }
}
