import FrameTestSupport
import Frames
import Protocols
import SwitchTypes
import Testing

/// ECP on one port against fake time: acks, duplicates, loss, retransmission and giving up.
@Suite struct ECPPortTests {
    static func at(_ ms: Int64) -> Timestamp { Timestamp(nanoseconds: ms * 1_000_000) }

    @Test func stationRequestIsAckedAsLLDPadsBridgeAcked() throws {
        var ecp = ECPPort(retries: 3, retransmitExponent: 14)
        let request = try LLDPadEVBFrames.ecp("ecp-preassoc-request")
        let reception = ecp.receive(request, at: Self.at(0))
        #expect(reception.delivered == request.payload)
        #expect(reception.out.map { $0.frame(source: LLDPadEVBFrames.bridge) } == [LLDPadEVBFrames.frame("ecp-preassoc-ack")])
        #expect(ecp.counters.requestsIn == 1 && ecp.counters.acksOut == 1)
    }

    @Test func duplicateIsAckedAgainButDeliveredOnce() throws {
        var ecp = ECPPort(retries: 3, retransmitExponent: 14)
        let request = try LLDPadEVBFrames.ecp("ecp-assoc-request")
        #expect(ecp.receive(request, at: Self.at(0)).delivered != nil)
        let again = ecp.receive(request, at: Self.at(10))
        #expect(again.delivered == nil && again.out == [ECPDU(operation: .acknowledgement, sequence: request.sequence)])
        #expect(ecp.counters.duplicates == 1 && ecp.counters.acksOut == 2)
        // The next sequence is new; so is the old one once the port was reset.
        var next = request
        next.sequence &+= 1
        #expect(ecp.receive(next, at: Self.at(20)).delivered != nil)
        ecp.reset()
        #expect(ecp.receive(next, at: Self.at(30)).delivered != nil)
    }

    @Test func requestsGoOneAtATimeInTheirOwnSequenceSpace() {
        var ecp = ECPPort(retries: 3, retransmitExponent: 14)
        // The station's sequence 7 does not move ours.
        _ = ecp.receive(ECPDU(operation: .request, sequence: 7, payload: [0, 0]), at: Self.at(0))
        let first = ecp.send([1], at: Self.at(0))
        #expect(first == [ECPDU(operation: .request, sequence: 1, payload: [1])])
        #expect(ecp.send([2], at: Self.at(1)).isEmpty && ecp.pending == 2)
        // An ack for something else changes nothing.
        #expect(ecp.receive(ECPDU(operation: .acknowledgement, sequence: 7), at: Self.at(2)).out.isEmpty)
        #expect(ecp.counters.unexpectedAcks == 1)
        let acked = ecp.receive(ECPDU(operation: .acknowledgement, sequence: 1), at: Self.at(3))
        #expect(acked.out == [ECPDU(operation: .request, sequence: 2, payload: [2])] && acked.delivered == nil)
        #expect(ecp.receive(ECPDU(operation: .acknowledgement, sequence: 2), at: Self.at(4)).out.isEmpty)
        #expect(ecp.pending == 0 && ecp.nextDeadline == nil && ecp.counters.acksIn == 2 && ecp.counters.requestsOut == 2)
    }

    @Test func lostAckIsRetransmittedAfterTheTimeout() {
        var ecp = ECPPort(retries: 3, retransmitExponent: 14)
        _ = ecp.send([9], at: Self.at(0))
        // 10 * 2^14 us = 163.84 ms.
        #expect(ecp.nextDeadline == Timestamp(nanoseconds: 163_840_000))
        #expect(ecp.run(at: Timestamp(nanoseconds: 163_839_999)).isEmpty)
        #expect(ecp.run(at: Timestamp(nanoseconds: 163_840_000)) == [ECPDU(operation: .request, sequence: 1, payload: [9])])
        #expect(ecp.counters.retries == 1 && ecp.counters.requestsOut == 2)
        #expect(ecp.nextDeadline == Timestamp(nanoseconds: 2 * 163_840_000))
        _ = ecp.receive(ECPDU(operation: .acknowledgement, sequence: 1), at: Self.at(200))
        #expect(ecp.pending == 0 && ecp.counters.timeouts == 0)
    }

    @Test func givesUpAfterRRetransmissionsThenSendsTheNext() {
        var ecp = ECPPort(retries: 2, retransmitExponent: 8)
        _ = ecp.send([1], at: Timestamp(nanoseconds: 0))
        _ = ecp.send([2], at: Timestamp(nanoseconds: 0))
        let timeout: Int64 = 2_560_000
        #expect(ecp.run(at: Timestamp(nanoseconds: timeout)).count == 1)
        #expect(ecp.run(at: Timestamp(nanoseconds: 2 * timeout)).count == 1)
        let next = ecp.run(at: Timestamp(nanoseconds: 3 * timeout))
        #expect(next == [ECPDU(operation: .request, sequence: 2, payload: [2])])
        #expect(ecp.counters.retries == 2 && ecp.counters.timeouts == 1 && ecp.counters.requestsOut == 4)
        // The late ack of the abandoned request is not taken for the new one.
        _ = ecp.receive(ECPDU(operation: .acknowledgement, sequence: 1), at: Timestamp(nanoseconds: 3 * timeout + 1))
        #expect(ecp.counters.unexpectedAcks == 1 && ecp.pending == 1)
    }

    @Test func malformedFramesAreCounted() {
        var ecp = ECPPort(retries: 3, retransmitExponent: 14)
        let frames: [[UInt8]] = [[], Array(LLDPadEVBFrames.frame("ecp-preassoc-ack").prefix(17)),
                                 LLDPadEVBFrames.frame("lldp-station"),
                                 ECPDU(operation: .request, subtype: 2, sequence: 1).frame(source: LLDPadEVBFrames.station)]
        for frame in frames { #expect(frame.withUnsafeBytes { ecp.decode($0) } == nil) }
        #expect(ecp.counters.malformed == 4)
        #expect(LLDPadEVBFrames.frame("ecp-preassoc-ack").withUnsafeBytes { ecp.decode($0) } != nil)
    }

    @Test func fullQueueDropsAndCounts() {
        var ecp = ECPPort(retries: 3, retransmitExponent: 14)
        for index in 0...ECPPort.queueLimit { _ = ecp.send([UInt8(index & 0xff)], at: Self.at(0)) }
        #expect(ecp.pending == ECPPort.queueLimit + 1 && ecp.counters.queueOverflows == 0)
        _ = ecp.send([0], at: Self.at(0))
        #expect(ecp.counters.queueOverflows == 1)
    }
}
