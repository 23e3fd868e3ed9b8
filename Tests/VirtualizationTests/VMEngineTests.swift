import Dataplane
import Foundation
import FrameTestSupport
import Switch
import Testing
import Virtualization

/// The forwarding thread feeding the `VMTable` through the learning ring while the
/// control side drains and reads it: meaningful under ThreadSanitizer
/// (`swift test --sanitize=thread`).
@Suite struct VMEngineTests {
    @Test func detectsOnTheForwardingThreadWhileTheControlSideReads() throws {
        let ports = (1...3).map { _ in MemoryPort(capacity: 64, slotSize: 128) }
        let vms = VMTable(serverPorts: [1, 2])
        let feed = VMLearningFeed(vms)
        let engine = try ForwardingEngine(
            configuration: BridgeConfiguration(portCount: 3),
            attachments: [1: .memory(ports[0]), 2: .memory(ports[1]), 3: .memory(ports[2])],
            learningObserver: feed)
        try engine.start()
        defer { engine.stop() }

        let vmCount = 200
        for number in 0..<vmCount {
            let frame = FrameBuilder(destination: .broadcast, source: mac(oui: 0x525400, UInt32(number))).bytes
            // Even VMs on port 1, odd ones on port 2, and a copy of each behind the uplink.
            while !ports[number % 2].inject(frame) { usleep(10) }
            while !ports[2].inject(FrameBuilder(destination: .broadcast, source: mac(oui: 0x00163e, UInt32(number))).bytes) {
                usleep(10)
            }
            // Drain and read while the forwarding thread pushes.
            if number % 10 == 0 {
                feed.drain()
                _ = (vms.entries(), vms.migrations(), vms.count)
            }
        }
        while ports.contains(where: { $0.pendingIngress > 0 }) { usleep(50) }
        engine.withPipeline { _ in }
        feed.drain()

        let entries = vms.entries()
        #expect(entries.count == vmCount)
        #expect(entries.allSatisfy { $0.vendor == "QEMU/KVM" && $0.port == 1 + Int($0.mac.rawValue & 1) })
        #expect(Set(entries.map(\.index)) == Set(0..<vmCount))
    }
}
