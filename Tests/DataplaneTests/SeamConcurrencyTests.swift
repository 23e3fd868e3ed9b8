import Dispatch
import Foundation
import Frames
import Synchronization
import Testing
@testable import Dataplane
import FrameTestSupport
import SwitchTypes

/// Punt and inject with the engine running: a host thread sends ordinary and
/// LLDP frames, a control-plane thread reads punted frames when the listener
/// wakes it and originates frames meanwhile. Meaningful under ThreadSanitizer
/// (`swift test --sanitize=thread`); the totals must add up whatever the interleaving.
@Suite struct SeamConcurrencyTests {
    @Test func puntAndInjectWhileForwarding() throws {
        let ports = (1...2).map { _ in MemoryPort(capacity: 64, slotSize: 256) }
        let engine = try ForwardingEngine(configuration: BridgeConfiguration(portCount: 2),
                                          attachments: [1: .memory(ports[0]), 2: .memory(ports[1])],
                                          puntCapacity: 16, transmitCapacity: 8)
        let wake = DispatchSemaphore(value: 0)
        engine.setPuntListener { wake.signal() }
        try engine.start()

        let rounds = 4000
        let hostDone = Atomic<Bool>(false)
        let read = Atomic<Int>(0)
        let badFrames = Atomic<Int>(0)
        let accepted = Atomic<Int>(0)
        let group = DispatchGroup()
        // The host: every other frame is LLDP, numbered in its payload.
        DispatchQueue.global().async(group: group) {
            for number in 0..<rounds {
                var frame = FrameBuilder(destination: number % 2 == 0 ? MACAddress(rawValue: 0x0180_c200_000e)
                                                                       : .broadcast, source: station(1))
                frame.etherType = number % 2 == 0 ? 0x88cc : 0x88b5
                frame.payload = Array(repeating: UInt8(truncatingIfNeeded: number), count: 46)
                while !ports[0].inject(frame.bytes) { ports[1].discardEgress() }
            }
            hostDone.store(true, ordering: .releasing)
        }
        // The control plane: reads what was punted, checks each frame whole, and originates.
        DispatchQueue.global().async(group: group) {
            let answer = InjectTests.frame(length: 64)
            var finishing = false
            while true {
                _ = wake.wait(timeout: .now() + .milliseconds(5))
                engine.receivePunted(limit: 8) { frame in
                    let bytes = frame.bytes
                    if frame.port != 1 || bytes.count != 60 || bytes[12] != 0x88 || bytes[13] != 0xcc
                        || bytes[14...].contains(where: { $0 != bytes[14] }) {
                        badFrames.add(1, ordering: .relaxed)
                    }
                    read.add(1, ordering: .relaxed)
                }
                if engine.transmit(answer, port: 2) { accepted.add(1, ordering: .relaxed) }
                ports[1].discardEgress()
                if finishing { break }
                finishing = hostDone.load(ordering: .acquiring)
            }
        }
        group.wait()
        while ports[0].pendingIngress > 0 { usleep(50) }
        engine.withPipeline { _ in }
        // What is still in the ring after the threads ended.
        let left = engine.receivePunted { _ in }
        let counters = engine.counters()
        engine.stop()

        let port1 = counters[0], port2 = counters[1]
        #expect(port1.rxFrames == UInt64(rounds))
        #expect(port1.punted + (port1.drops[.puntOverflow] ?? 0) == UInt64(rounds / 2))
        #expect(port1.punted == UInt64(read.load(ordering: .relaxed) + left))
        #expect(port1.flooded == UInt64(rounds / 2))
        #expect(port1.rxFrames == port1.accounted)
        #expect(badFrames.load(ordering: .relaxed) == 0)
        // Every accepted frame was sent or, when port 2's egress ring was full, counted as not taken.
        let sent = UInt64(accepted.load(ordering: .relaxed))
        #expect(sent > 0)
        #expect(port2.originated <= sent)
        #expect(port2.txFrames + port2.txDropped == sent + port1.flooded)
    }
}
