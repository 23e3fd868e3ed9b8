import Foundation
import Syslog
import TestSupport
import Testing

/// RFC 6587 octet counting and the bounded queue in front of every sender.
@Suite struct FramingAndQueueTests {
    @Test func octetCountingPrefixesTheLengthInOctets() {
        #expect(OctetCounting.frame(Array("abc".utf8)) == Array("3 abc".utf8))
        #expect(OctetCounting.frame(Array("é\n".utf8)) == Array("3 é\n".utf8), "octets, not characters; newlines are data")
        #expect(OctetCounting.frame([]) == Array("0 ".utf8))
    }

    @Test func fullQueueDropsAndCounts() {
        let queue = BoundedQueue<Int>(capacity: 3)
        #expect((1...5).map { queue.push($0) } == [true, true, true, false, false])
        #expect(queue.droppedCount == 2)
        #expect(queue.pop(timeout: 0) == 1)
        #expect(queue.push(6))
        #expect([queue.pop(timeout: 0), queue.pop(timeout: 0), queue.pop(timeout: 0)] == [2, 3, 6])
        #expect(queue.pop(timeout: 0) == nil)
        #expect(queue.droppedCount == 2)
    }

    @Test func closedQueueRefusesAndWakesTheConsumer() {
        let queue = BoundedQueue<Int>(capacity: 2)
        queue.push(1)
        queue.close()
        #expect(queue.pop(timeout: 10) == nil, "returns at once once closed")
        #expect(!queue.push(2))
        #expect(queue.droppedCount == 1)
    }

    /// What was queued before a close can still be taken, oldest first, once.
    @Test func aClosedQueueDrainsWhatItHeld() {
        let queue = BoundedQueue<Int>(capacity: 4)
        for item in 1...3 { queue.push(item) }
        queue.close()
        #expect(queue.pop(timeout: 10) == nil)
        #expect(queue.drain() == [1, 2, 3])
        #expect(queue.drain().isEmpty && queue.pendingCount == 0)
    }

    /// A sender whose collector does not exist (a TCP port nobody listens on) takes every
    /// record at once and counts each one as dropped.
    @Test func senderToADownCollectorDropsWithoutWaiting() throws {
        let port = UInt16(try LoopbackPort.free())
        let sender = SyslogSender(destination: SyslogDestination(address: "127.0.0.1", port: port, transport: .tcp),
                                  identity: .init(facility: 23, appName: "vmready", procID: "1"),
                                  queueCapacity: 8)
        defer { sender.stop() }
        var accepted = 0
        for n in 0..<100 where sender.submit(SyslogRecord(time: Date(), hostname: "h", severity: 6, msgID: "test", message: "event \(n)")) {
            accepted += 1
        }
        #expect(accepted < 100, "the queue holds 8; the sender's thread cannot have taken 92 more in between")
        // The sender's thread drains what was queued, dropping it: the collector is down.
        while sender.statistics.dropped < 100 { usleep(10_000) }
        #expect(sender.statistics == SyslogSender.Statistics(sent: 0, dropped: 100, connected: false))
    }
}
