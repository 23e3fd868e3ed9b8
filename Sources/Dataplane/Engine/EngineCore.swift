import SwitchTypes
import Synchronization

/// The state the control side and the forwarding thread share — and the only
/// state they share. Work goes to the thread through a locked queue plus an
/// atomic flag, so the thread checks for it with one load between batches and
/// never waits on the control side; the control side waits for the thread
/// only when it asks for an answer.
final class EngineCore: Sendable {
    enum Work: Sendable {
        case configure(BridgeConfiguration)
        case run(@Sendable (ForwardingPipeline) -> Void)
    }

    struct State: Sendable {
        /// The context while no thread owns it; nil while the thread runs.
        var parked: ForwardingContext?
        var work: [Work] = []
    }

    let state: ThreadLock<State>
    /// Work is queued: the thread's cheap check between batches.
    let hasWork = Atomic<Bool>(false)
    let stopRequested = Atomic<Bool>(false)
    let wakeup: Wakeup
    /// Frames the control plane originates, sent by whichever thread holds the
    /// context (the forwarding thread between batches, else the parked side).
    let transmits: TransmitQueue

    init(context: ForwardingContext, wakeup: Wakeup, transmits: TransmitQueue) {
        self.wakeup = wakeup
        self.transmits = transmits
        state = ThreadLock(State(parked: context))
    }

    /// Queues work for the thread and wakes it.
    func enqueue(_ work: Work) {
        state.withLock { state in
            state.work.append(work)
            hasWork.store(true, ordering: .releasing)
        }
        wakeup.signal()
    }

    /// Takes the queued work (forwarding thread, between batches).
    func takeWork() -> [Work] {
        state.withLock { state in
            hasWork.store(false, ordering: .relaxed)
            let work = state.work
            state.work.removeAll()
            return work
        }
    }

    /// The forwarding thread's body: forward until asked to stop, then park the context.
    func run() {
        guard let context = state.withLock({ $0.parked.take() }) else { return }
        while !stopRequested.load(ordering: .acquiring) {
            if hasWork.load(ordering: .acquiring) { perform(takeWork(), on: context) }
            context.originateQueued(from: transmits)
            if context.pollDevicesOnce() > 0 { continue }
            // Idle: keep ageing going, make captures readable, then sleep.
            context.pipeline.refreshTime()
            context.io.flushCaptures()
            context.fastPath?.catchUp(context.pipeline)
            // Ageing (or the fast path's map sync) that fell behind (a big table, a long
            // sleep) catches up in slices, not in one stall.
            let behind = context.pipeline.macTable.isAgeingBehind || context.fastPath?.isBehind == true
            context.sleep(milliseconds: wakeup.descriptor >= 0 && !behind ? 100 : 1)
            wakeup.drain()
        }
        context.io.flushCaptures()
        park(context)
    }

    /// Parks the context, serving anything still queued under the same lock
    /// that enqueuing takes, so no request is left waiting once the thread is gone.
    func park(_ context: ForwardingContext) {
        state.withLock { state in
            hasWork.store(false, ordering: .relaxed)
            perform(state.work, on: context)
            state.work.removeAll()
            context.originateQueued(from: transmits)
            state.parked = context
        }
    }

    /// Runs `work` in order, after sending the frames transmitted before it was
    /// queued, so that a query (`withPipeline`) sees every frame transmitted before it.
    func perform(_ work: [Work], on context: ForwardingContext) {
        context.originateQueued(from: transmits)
        for item in work {
            switch item {
            case .configure(let configuration):
                // Validated by the engine before it was queued.
                try? context.pipeline.apply(configuration)
            case .run(let body):
                body(context.pipeline)
            }
        }
        if !work.isEmpty { context.controlWorkDone() }
    }
}
