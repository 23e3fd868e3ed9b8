import Testing
@testable import Dataplane

/// A batch holds copied frames in its arena and lent frames where they lie (an AF_XDP
/// port's UMEM, given back to the kernel after the batch is processed).
@Suite struct FrameBatchTests {
    @Test func aLentFrameIsReadWhereItLiesAndACopiedOneIsNot() {
        let batch = FrameBatch(capacity: 4, byteCapacity: 64)
        let source = UnsafeMutableRawBufferPointer.allocate(byteCount: 60, alignment: 16)
        defer { source.deallocate() }
        source.initializeMemory(as: UInt8.self, repeating: 0xaa)
        #expect(batch.append(UnsafeRawBufferPointer(source), port: 1))
        #expect(batch.lend(UnsafeRawBufferPointer(source), port: 2))
        source[0] = 0x55
        let (copied, copiedPort) = batch[0]
        let (lent, lentPort) = batch[1]
        #expect(copiedPort == 1 && lentPort == 2)
        #expect(copied.count == 60 && lent.count == 60)
        #expect(copied[0] == 0xaa, "a copy must not follow its source")
        #expect(lent[0] == 0x55 && lent.baseAddress == UnsafeRawPointer(source.baseAddress))
    }

    @Test func lendingTakesNoArenaBytesAndStopsAtCapacityChangingNothing() {
        let batch = FrameBatch(capacity: 2, byteCapacity: 0)
        let source: [UInt8] = Array(repeating: 7, count: 1514)
        source.withUnsafeBytes { frame in
            #expect(!batch.append(frame, port: 1), "no arena bytes for a copy")
            #expect(batch.lend(frame, port: 1))
            #expect(batch.lend(frame, port: 2))
            #expect(!batch.lend(frame, port: 3), "the batch is full")
        }
        #expect(batch.count == 2 && batch.isFull)
        #expect(batch[1].port == 2 && batch[1].frame.count == 1514)
        batch.removeAll()
        #expect(batch.count == 0)
    }
}
