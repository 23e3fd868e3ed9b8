import Protocols
import SwitchTypes
import Testing

/// 802.1AB's transmit timing: fast start (four frames a second apart), then the interval;
/// a new neighbour restarts the fast frames; a stop sends one shutdown LLDPDU and holds
/// a restart back for the reinit delay.
@Suite struct LLDPTransmitTimerTests {
    /// Runs the timer from `start` to `end`, sending whenever due; returns the send times.
    static func sends(_ timer: inout LLDPTransmitTimer, from start: Int64, to end: Int64) -> [Int64] {
        var times: [Int64] = []
        for second in start...end where timer.isDue(at: Timestamp(seconds: second)) {
            times.append(second)
            timer.sent(at: Timestamp(seconds: second))
        }
        return times
    }

    @Test func fastStartThenTheInterval() {
        var timer = LLDPTransmitTimer()
        timer.start(at: Timestamp(seconds: 100))
        #expect(Self.sends(&timer, from: 100, to: 200) == [100, 101, 102, 103, 133, 163, 193])
    }

    @Test func aNewNeighbourHearsUsAtOnceAndFast() {
        var timer = LLDPTransmitTimer()
        timer.interval = 10
        timer.start(at: Timestamp(seconds: 0))
        #expect(Self.sends(&timer, from: 0, to: 20) == [0, 1, 2, 3, 13])
        timer.newNeighbor(at: Timestamp(seconds: 17))
        #expect(Self.sends(&timer, from: 17, to: 40) == [17, 18, 19, 20, 30, 40])
    }

    @Test func aStopSendsOneShutdownAndHoldsARestartBack() {
        var timer = LLDPTransmitTimer()
        timer.start(at: Timestamp(seconds: 0))
        _ = Self.sends(&timer, from: 0, to: 5)
        let shutdown = timer.stop(at: Timestamp(seconds: 6))
        let again = timer.stop(at: Timestamp(seconds: 6))     // already stopped: no second shutdown
        #expect(shutdown && !again)
        #expect(!timer.isDue(at: Timestamp(seconds: 100)))
        timer.newNeighbor(at: Timestamp(seconds: 7))           // heard while stopped: still silent
        #expect(!timer.isRunning)
        timer.start(at: Timestamp(seconds: 7))                 // within the reinit delay (2 s)
        #expect(!timer.isDue(at: Timestamp(seconds: 7)))
        #expect(Self.sends(&timer, from: 7, to: 12) == [8, 9, 10, 11])
    }

    @Test func aChangeIsAdvertisedAtOnce() {
        var timer = LLDPTransmitTimer()
        timer.start(at: Timestamp(seconds: 0))
        _ = Self.sends(&timer, from: 0, to: 10)
        timer.somethingChanged(at: Timestamp(seconds: 15))
        #expect(Self.sends(&timer, from: 15, to: 50) == [15, 45])
    }
}
