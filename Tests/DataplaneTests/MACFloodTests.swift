import Testing
@testable import Dataplane
import FrameTestSupport

/// A MAC flood (macof-style): 200,000 random source addresses against a
/// bounded table.
@Suite struct MACFloodTests {
    @Test func tableStaysAtItsLimitAndUnicastKeepsFlowing() throws {
        var config = try BridgeConfiguration(portCount: 4)
        config.macLimit = 32768
        let sink = CountingSink()
        let pipeline = try ForwardingPipeline(configuration: config, egress: sink, clock: VirtualClock())
        let batch = FrameBatch(capacity: 64, byteCapacity: 64 * 64)

        // Two legitimate hosts are known before the flood.
        let serverA = station(0xa), serverB = station(0xb)
        pipeline.process(FrameBuilder(destination: .broadcast, source: serverA), on: 1)
        pipeline.process(FrameBuilder(destination: .broadcast, source: serverB), on: 2)
        let capacity = pipeline.macTable.capacity
        let storage = pipeline.macTable.storageBytes

        var generator = SystemRandomNumberGenerator()
        var frame = FrameBuilder(destination: .broadcast, source: serverA).bytes
        let floods = 200_000
        var legitimate = 0
        for index in 0..<floods {
            // Random unicast source (I/G bit clear) from the attacker on port 3.
            let random = UInt64.random(in: 0...0xffff_ffff_ffff, using: &generator) & ~0x0100_0000_0000
            withUnsafeBytes(of: (random << 16).bigEndian) { bytes in
                for offset in 0..<6 { frame[6 + offset] = bytes[offset] }
            }
            frame.withUnsafeBytes { _ = batch.append($0, port: 3) }
            // Every 100th frame, legitimate unicast from A to B.
            if index % 100 == 0 {
                FrameBuilder(destination: serverB, source: serverA).bytes.withUnsafeBytes { _ = batch.append($0, port: 1) }
                legitimate += 1
            }
            if batch.count >= 60 {
                pipeline.process(batch)
                batch.removeAll()
            }
        }
        pipeline.process(batch)

        let table = pipeline.macTable
        #expect(table.dynamicCount == 32768)
        #expect(table.capacity == capacity && table.storageBytes == storage)
        // Full: each new flooding address evicts one of the flooder's own, never the servers'.
        #expect(table.refusedLearnCount == 0)
        #expect(table.evictedCount >= UInt64(floods - 32768))
        #expect(table.evictedCount == pipeline.counters(port: 3).macEvicted)
        #expect(table.port(for: serverA, vlan: 1, at: pipeline.now) == 1)
        #expect(table.port(for: serverB, vlan: 1, at: pipeline.now) == 2)
        // Every legitimate frame went only to port 2, as known unicast.
        #expect(pipeline.counters(port: 1).forwarded == UInt64(legitimate))
        // ... and was never flooded: port 4 saw only the floods and the two first broadcasts.
        #expect(sink.framesPerPort[4] == floods + 2)
        #expect(pipeline.counters(port: 3).learningRefused == 0)
        #expect(everyFrameAccounted(pipeline))
    }
}

/// Counts frames per port without keeping them.
final class CountingSink: EgressSink {
    var framesPerPort = [Int](repeating: 0, count: 65)
    func transmit(_ frame: UnsafeRawBufferPointer, port: Int) -> Bool {
        framesPerPort[port] += 1
        return true
    }
}
