import Foundation
import Frames
import Synchronization
import Testing
@testable import Dataplane
import SwitchTypes
import FrameTestSupport

/// The forwarding thread against the control side: meaningful under
/// ThreadSanitizer (`swift test --sanitize=thread`).
@Suite struct EngineConcurrencyTests {
    /// Waits until the engine has taken every queued frame, then for one
    /// round trip to the forwarding thread, after which those frames are processed.
    func settle(_ engine: ForwardingEngine, _ ports: [MemoryPort]) {
        while ports.contains(where: { $0.pendingIngress > 0 }) { usleep(50) }
        engine.withPipeline { _ in }
    }

    @Test func forwardsBetweenMemoryPortsOnItsThread() throws {
        let ports = (1...3).map { _ in MemoryPort() }
        let engine = try ForwardingEngine(configuration: BridgeConfiguration(portCount: 3),
                                          attachments: [1: .memory(ports[0]), 2: .memory(ports[1]), 3: .memory(ports[2])])
        try engine.start()
        #expect(engine.isRunning)
        ports[0].inject(FrameBuilder(destination: .broadcast, source: station(1)).bytes)
        settle(engine, ports)
        ports[1].inject(FrameBuilder(destination: station(1), source: station(2)).bytes)
        settle(engine, ports)
        #expect(ports[1].takeEgress().count == 1)
        #expect(ports[2].takeEgress().count == 1)
        #expect(ports[0].takeEgress() == [FrameBuilder(destination: station(1), source: station(2)).bytes])
        let snapshot = engine.snapshot()
        #expect(snapshot.macEntries.count == 2)
        #expect(snapshot.attachments == [1: "memory", 2: "memory", 3: "memory"])
        engine.stop()
        #expect(!engine.isRunning)
        // Stopped: queries run inline on the parked pipeline.
        #expect(engine.counters()[0].rxFrames == 1)
    }

    @Test func configurationChangesWhileForwarding() async throws {
        let portCount = 4
        let ports = (1...portCount).map { _ in MemoryPort(capacity: 64, slotSize: 128) }
        var initial = try BridgeConfiguration(portCount: portCount)
        try initial.vlans.create(10)
        let base = initial
        let observer = CountingObserver()
        let engine = try ForwardingEngine(
            configuration: base,
            attachments: Dictionary(uniqueKeysWithValues: ports.enumerated().map { ($0.offset + 1, .memory($0.element)) }),
            learningObserver: observer)
        try engine.start()

        let framesPerPort = 3000
        let injected = SharedCounter()
        await withTaskGroup(of: Void.self) { group in
            // Hosts: each sends unicast and broadcast, from a few stations.
            for (index, port) in ports.enumerated() {
                group.addTask {
                    for number in 0..<framesPerPort {
                        let destination = number % 5 == 0 ? MACAddress.broadcast : station((index + 1) % portCount * 100 + number % 7)
                        let frame = FrameBuilder(destination: destination, source: station(index * 100 + number % 7)).bytes
                        while !port.inject(frame) { await Task.yield() }
                        injected.value.add(1, ordering: .relaxed)
                        if number % 64 == 0 { port.discardEgress() }
                    }
                }
            }
            // The operator: reconfigures and looks at the tables meanwhile.
            group.addTask {
                for round in 0..<200 {
                    var config = base
                    config[port: 3].accessVLAN = round % 2 == 0 ? 10 : 1
                    config[port: 4].mode = round % 3 == 0 ? .trunk : .access
                    config.macLimit = round % 4 == 0 ? 8 : 1024
                    config.macAgeingSeconds = round % 5 == 0 ? 0 : 300
                    config[port: 2].isEnabled = round % 7 != 0
                    try? engine.apply(config)
                    let snapshot = engine.snapshot()
                    #expect(snapshot.counters.count == portCount)
                    #expect(snapshot.macTable.count <= snapshot.macTable.limit)
                    if round % 50 == 0 { engine.clearCounters() }
                    await Task.yield()
                }
            }
            // Egress drain, so rings do not fill.
            group.addTask {
                while injected.value.load(ordering: .relaxed) < framesPerPort * portCount {
                    for port in ports { port.discardEgress() }
                    await Task.yield()
                }
            }
        }
        settle(engine, ports)
        engine.clearCounters()
        try engine.apply(base)
        for port in ports { port.inject(FrameBuilder(destination: .broadcast, source: station(999)).bytes) }
        settle(engine, ports)
        let counters = engine.counters()
        engine.stop()
        // After the storm, the state is coherent: each port received one frame, fully accounted.
        #expect(counters.allSatisfy { $0.rxFrames == 1 && $0.accounted == 1 })
        #expect(observer.events.value.load(ordering: .relaxed) > 0)
    }
}

/// Counts learning events; called on the forwarding thread, read by the test.
final class CountingObserver: LearningObserver, Sendable {
    let events = SharedCounter()
    func stationLearned(_ event: LearningEvent) -> Bool {
        events.value.add(1, ordering: .relaxed)
        return true
    }
}

/// An atomic counter that closures can share.
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
}
