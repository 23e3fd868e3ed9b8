import Dispatch
import Glibc
import Frames
import Protocols
import Synchronization
import SwitchTypes
import Testing

/// The control-plane loop: frames reach the agents that asked for them, timers run when
/// due on the switch clock (virtual here, so every step is deterministic), what agents
/// send reaches the dataplane, and the thread wakes for a punted frame.
@Suite struct ControlPlaneTests {
    /// A protocol small enough to read at a glance: it answers every frame of its
    /// EtherType on the port it came from, and beacons on port 1 every `period`.
    final class EchoBeacon: ProtocolAgent {
        let name = "echo-beacon"
        let interest = FrameInterest(destinations: [MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e)], etherTypes: [0x88b5])
        let period: Int64
        private(set) var nextDeadline: Timestamp?
        private(set) var received: [(port: Int, time: Timestamp)] = []
        private(set) var runs: [Timestamp] = []

        init(start: Timestamp, periodSeconds: Int64) {
            period = periodSeconds
            nextDeadline = Timestamp(seconds: start.seconds + periodSeconds)
        }

        func receive(_ frame: UnsafeRawBufferPointer, port: Int, at time: Timestamp) -> [OutboundFrame] {
            received.append((port, time))
            return [OutboundFrame(port: port, bytes: Array(frame))]
        }

        func run(at now: Timestamp) -> [OutboundFrame] {
            runs.append(now)
            nextDeadline = Timestamp(seconds: now.seconds + period)
            return [OutboundFrame(port: 1, bytes: [UInt8](repeating: 0xbe, count: 60))]
        }
    }

    /// The dataplane's side, as the loop sees it: punted frames waiting, frames sent.
    final class Wire: Sendable {
        let punted = Mutex<[(Int, Timestamp, [UInt8])]>([])
        let sent = Mutex<[OutboundFrame]>([])
        let refuseSends = Atomic<Bool>(false)
        let now = Mutex(Timestamp(seconds: 1_000))

        func controlPlane() -> ControlPlane {
            ControlPlane(clock: { self.now.withLock { $0 } }, drain: { body in
                let frames = self.punted.withLock { frames in
                    defer { frames = [] }
                    return frames
                }
                for (port, time, bytes) in frames { bytes.withUnsafeBytes { body(port, time, $0) } }
                return frames.count
            }, transmit: { frame in
                guard !self.refuseSends.load(ordering: .relaxed) else { return false }
                self.sent.withLock { $0.append(frame) }
                return true
            })
        }

        func punt(_ bytes: [UInt8], port: Int) {
            let time = now.withLock { $0 }
            punted.withLock { $0.append((port, time, bytes)) }
        }
    }

    static func frame(destination: MACAddress, type: UInt16) -> [UInt8] {
        destination.octets + [0x02, 0, 0, 0, 0, 0x01] + [UInt8(type >> 8), UInt8(type & 0xff)] + [UInt8](repeating: 0, count: 46)
    }

    @Test func framesReachTheAgentsThatAskedAndTheAnswersAreSent() {
        let wire = Wire()
        let loop = wire.controlPlane()
        let agent = EchoBeacon(start: Timestamp(seconds: 1_000), periodSeconds: 30)
        loop.register(agent)
        #expect(loop.interest.etherTypes == [0x88b5])
        let mine = Self.frame(destination: .broadcast, type: 0x88b5)
        let byAddress = Self.frame(destination: MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e), type: 0x88cc)
        let tagged = Array(mine[0..<12]) + [0x81, 0x00, 0x00, 0x64] + Array(mine[12...])
        let other = Self.frame(destination: .broadcast, type: 0x0800)
        wire.punt(mine, port: 2)
        wire.punt(byAddress, port: 3)
        wire.punt(tagged, port: 4)
        wire.punt(other, port: 5)
        loop.step()
        #expect(agent.received.map(\.port) == [2, 3, 4])
        #expect(wire.sent.withLock { $0 } == [OutboundFrame(port: 2, bytes: mine), OutboundFrame(port: 3, bytes: byAddress),
                                              OutboundFrame(port: 4, bytes: tagged)])
        #expect(loop.statistics.framesDispatched == 3)
        #expect(loop.statistics.framesUnclaimed == 1)
        #expect(loop.statistics.framesSent == 3)
        // A dataplane that refuses (queue full) is counted, and the loop goes on.
        wire.refuseSends.store(true, ordering: .relaxed)
        wire.punt(mine, port: 2)
        loop.step()
        #expect(loop.statistics.sendsRefused == 1)
    }

    /// Virtual time passing (a replay between two frames, a transcript's `advance`): every
    /// timer runs at its own deadline with the clock set to it, and the clock ends where told.
    @Test func catchingUpRunsEachTimerAtItsOwnDeadline() {
        let wire = Wire()
        let loop = wire.controlPlane()
        let agent = EchoBeacon(start: Timestamp(seconds: 1_000), periodSeconds: 30)
        loop.register(agent)
        loop.catchUp(to: Timestamp(seconds: 1_100)) { time in wire.now.withLock { $0 = time } }
        #expect(agent.runs == [1_030, 1_060, 1_090].map { Timestamp(seconds: $0) })
        #expect(wire.sent.withLock { $0.count } == 3)
        #expect(wire.now.withLock { $0 } == Timestamp(seconds: 1_100))
        // A jump far beyond what is worth replaying stops after `catchUpLimit` steps.
        let fast = Wire()
        let busy = fast.controlPlane()
        let beacon = EchoBeacon(start: Timestamp(seconds: 1_000), periodSeconds: 1)
        busy.register(beacon)
        busy.catchUp(to: Timestamp(seconds: 1_000 + Int64(ControlPlane.catchUpLimit) * 3)) { time in fast.now.withLock { $0 = time } }
        #expect(beacon.runs.count == ControlPlane.catchUpLimit)
        #expect(fast.now.withLock { $0 } == Timestamp(seconds: 1_000 + Int64(ControlPlane.catchUpLimit) * 3))
    }

    @Test func timersRunWhenDueOnTheSwitchClock() {
        let wire = Wire()
        let loop = wire.controlPlane()
        loop.register(EchoBeacon(start: Timestamp(seconds: 1_000), periodSeconds: 30))
        #expect(loop.step() == Timestamp(seconds: 1_030))
        #expect(wire.sent.withLock { $0 }.isEmpty)
        wire.now.withLock { $0 = Timestamp(seconds: 1_029) }
        #expect(loop.step() == Timestamp(seconds: 1_030))
        #expect(wire.sent.withLock { $0 }.isEmpty)
        wire.now.withLock { $0 = Timestamp(seconds: 1_030) }
        #expect(loop.step() == Timestamp(seconds: 1_060))
        #expect(wire.sent.withLock { $0.map(\.port) } == [1])
        // Late (a replay jumped ahead): one run, the next deadline from now.
        wire.now.withLock { $0 = Timestamp(seconds: 1_200) }
        #expect(loop.step() == Timestamp(seconds: 1_230))
        #expect(wire.sent.withLock { $0.count } == 2)
    }

    @Test func theThreadWakesForAPuntedFrameAndStops() {
        let wire = Wire()
        let loop = wire.controlPlane()
        let agent = EchoBeacon(start: Timestamp(seconds: 1_000), periodSeconds: 3_600)
        loop.register(agent)
        loop.start()
        wire.punt(Self.frame(destination: .broadcast, type: 0x88b5), port: 7)
        loop.wake()
        // Waits for the answer (never a duration asserted: a bound on a hung loop).
        var answered = false
        for _ in 0..<500 where !answered {
            answered = wire.sent.withLock { $0.contains { $0.port == 7 } }
            if !answered { usleep(10_000) }
        }
        loop.stop()
        #expect(answered)
        let sentBefore = wire.sent.withLock { $0.count }
        wire.punt(Self.frame(destination: .broadcast, type: 0x88b5), port: 7)
        loop.wake()
        usleep(50_000)
        // Stopped: nothing more is handled until it starts again.
        #expect(wire.sent.withLock { $0.count } == sentBefore)
    }
}
