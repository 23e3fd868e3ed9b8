#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Frames
import Synchronization
import SwitchTypes

/// The one control-plane loop: on its own thread it sleeps until the earliest agent
/// deadline or the next punted frame, hands each punted frame to the agents that asked
/// for it, runs the timers that are due, and hands what they send to the dataplane.
///
/// It knows the dataplane only through three functions (the switch's clock, a drain of
/// punted frames, a transmit), so the agents and the loop need nothing of the
/// forwarding engine, and tests drive it on a virtual clock with `step()`.
public final class ControlPlane: Sendable {
    /// Reads the punted frames waiting, calling `body` with each (port, switch time,
    /// the whole frame); returns how many it read.
    public typealias PuntDrain = @Sendable (_ body: (Int, Timestamp, UnsafeRawBufferPointer) -> Void) -> Int
    /// Queues a frame for a port; false when the dataplane refused it (queue full, bad port).
    public typealias Transmit = @Sendable (OutboundFrame) -> Bool

    /// The loop's counters, for `show`.
    public struct Statistics: Hashable, Sendable {
        /// Punted frames handed to at least one agent.
        public var framesDispatched = 0
        /// Punted frames no agent asked for.
        public var framesUnclaimed = 0
        /// Frames agents sent.
        public var framesSent = 0
        /// Frames the dataplane refused to send.
        public var sendsRefused = 0
    }

    /// What only the loop's thread (or a replay's inline step) touches, under one lock.
    private struct Agents: @unchecked Sendable {
        // @unchecked: agents are plain classes, reached only inside `state.withLock`.
        var list: [any ProtocolAgent] = []
        var statistics = Statistics()
    }

    private let clock: @Sendable () -> Timestamp
    private let drain: PuntDrain
    private let transmit: Transmit
    private let state = Mutex(Agents())
    private let signal = DispatchSemaphore(value: 0)
    private let stopRequested = Atomic<Bool>(false)
    private let thread = Mutex<pthread_t?>(nil)
    /// Longest sleep between two steps even with no deadline: a bound on how late a
    /// missed wake-up can make the loop, never a poll the protocols rely on.
    public static let longestSleep: Duration = .seconds(1)

    public init(clock: @escaping @Sendable () -> Timestamp, drain: @escaping PuntDrain, transmit: @escaping Transmit) {
        self.clock = clock
        self.drain = drain
        self.transmit = transmit
    }

    deinit { stop() }

    /// Adds an agent (one per protocol, registered once when the switch is built).
    public func register(_ agent: some ProtocolAgent) {
        state.withLock { $0.list.append(agent) }
    }

    /// Every agent's interest together: what the dataplane must punt.
    public var interest: FrameInterest {
        state.withLock { $0.list.reduce(FrameInterest()) { $0.union($1.interest) } }
    }

    /// The agents' names, in registration order.
    public var agentNames: [String] { state.withLock { $0.list.map(\.name) } }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Handles every punted frame waiting and every timer due now, sends what the agents
    /// answered, and returns the earliest deadline left (nil: none).
    @discardableResult
    public func step() -> Timestamp? {
        var outbound: [OutboundFrame] = []
        let deadline = state.withLock { agents -> Timestamp? in
            let list = agents.list
            var dispatched = 0, unclaimed = 0
            _ = drain { port, time, frame in
                var claimed = false
                for agent in list where agent.interest.matches(frame) {
                    claimed = true
                    outbound += agent.receive(frame, port: port, at: time)
                }
                if claimed { dispatched += 1 } else { unclaimed += 1 }
            }
            let now = clock()
            for agent in list {
                if let due = agent.nextDeadline, due <= now { outbound += agent.run(at: now) }
            }
            agents.statistics.framesDispatched += dispatched
            agents.statistics.framesUnclaimed += unclaimed
            return list.compactMap(\.nextDeadline).min()
        }
        // Sent outside the lock: the dataplane's queue never waits, but readers of the
        // statistics should not wait for it either.
        var refused = 0
        for frame in outbound where !transmit(frame) { refused += 1 }
        if !outbound.isEmpty {
            state.withLock { agents in
                agents.statistics.framesSent += outbound.count - refused
                agents.statistics.sendsRefused += refused
            }
        }
        return deadline
    }

    /// Most steps one `catchUp` takes: a capture whose frames are years apart jumps
    /// instead of sending every refresh in between.
    public static let catchUpLimit = 100_000

    /// Moves a virtual clock to `time` the way real time would pass: every timer due
    /// before then runs at its own deadline (the clock set to it first), in order, so
    /// what the agents send and age is the same whatever the steps between. Used while a
    /// capture replays (before each frame) and by tests.
    public func catchUp(to time: Timestamp, setClock: (Timestamp) -> Void) {
        var next = state.withLock { agents in agents.list.compactMap(\.nextDeadline).min() }
        var steps = 0
        while let due = next, due <= time, steps < Self.catchUpLimit {
            let now = clock()
            if due > now { setClock(due) }
            next = step()
            steps += 1
            // A deadline that does not move past the clock would spin: the agent ran what
            // was due, so whatever it still wants waits for the next frame or `time`.
            if let again = next, again <= max(due, now) { break }
        }
        setClock(time)
    }

    /// Wakes the loop (a frame was punted, or an agent's configuration changed): cheap,
    /// never waits, callable from the forwarding thread.
    public func wake() { signal.signal() }

    /// Starts the loop's thread.
    public func start() {
        thread.withLock { thread in
            guard thread == nil else { return }
            stopRequested.store(false, ordering: .releasing)
            let box = Unmanaged.passRetained(LoopBody { [self] in loop() })
            var handle = pthread_t()
            let created = pthread_create(&handle, nil, { raw in
                guard let raw else { return nil }
                let body = Unmanaged<LoopBody>.fromOpaque(raw).takeRetainedValue()
                body.run()
                return nil
            }, box.toOpaque())
            if created == 0 { thread = handle } else { box.release() }
        }
    }

    /// Stops the loop's thread and waits for it.
    public func stop() {
        thread.withLock { thread in
            guard let running = thread else { return }
            stopRequested.store(true, ordering: .releasing)
            signal.signal()
            pthread_join(running, nil)
            thread = nil
        }
    }

    private func loop() {
        while !stopRequested.load(ordering: .acquiring) {
            let deadline = step()
            // Sleep until the earliest deadline (on the switch clock), or a wake.
            var sleep = Self.longestSleep
            if let deadline {
                let delta = Duration.nanoseconds(max(0, deadline.nanoseconds - clock().nanoseconds))
                sleep = min(sleep, delta)
            }
            guard sleep > .zero else { continue }
            let (seconds, attoseconds) = sleep.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            _ = signal.wait(timeout: .now() + .nanoseconds(nanoseconds))
        }
    }
}

/// The loop's body, handed to the new thread through an opaque pointer.
private final class LoopBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
