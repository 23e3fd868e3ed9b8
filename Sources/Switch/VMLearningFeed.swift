import Dataplane
import Synchronization
import SwitchTypes
import Virtualization

/// The hand-over of learning events from the forwarding thread to the VM layer: the one
/// place that knows both the dataplane's learning hook and the VM table.
///
/// The forwarding thread pushes each station learned or moved into a bounded lock-free
/// ring and wakes the consumer; it never takes a lock the control side holds. When the
/// ring is full the event is refused and counted, and the dataplane forgets the station's
/// entry, so its next frame reports it again: nothing is lost, only deferred. The
/// consumer (the VM event worker, or the replaying thread between two replayed frames)
/// drains the ring into the VM table in slices, so readers of the table never wait long.
public final class VMLearningFeed: LearningObserver, Sendable {
    /// Events the ring holds (about 2.5 MB of slots).
    public static let ringCapacity = 16_384
    /// Most events applied under one hold of the VM table's lock.
    static let slice = 1_024

    /// The table the events go to.
    public let vms: VMTable
    private let ring: SPSCRing<LearningEvent>
    private let overflows = Atomic<Int>(0)
    /// Serializes consumers (the worker and a replay's inline drain), and holds the slice
    /// buffer they reuse (a replay drains after every frame: no allocation each time).
    private let consumer = Mutex<[LearningEvent]>([])
    /// Called on the forwarding thread after a push: must only hand off.
    private let wake: @Sendable () -> Void
    /// Set while the pushing thread drains the ring itself (a capture replay drains after
    /// every frame): waking the worker then would only make two consumers fight for the lock.
    private let pusherDrains = Atomic<Bool>(false)

    /// A feed into `vms`; `wake` tells the consumer there is work.
    public init(_ vms: VMTable, ringCapacity: Int = VMLearningFeed.ringCapacity,
                wake: @escaping @Sendable () -> Void = {}) {
        self.vms = vms
        ring = SPSCRing(minimumCapacity: ringCapacity)
        self.wake = wake
    }

    /// Forwarding thread: queues the event; false when the ring is full.
    public func stationLearned(_ event: LearningEvent) -> Bool {
        guard ring.push(event) else {
            overflows.add(1, ordering: .relaxed)
            return false
        }
        if !pusherDrains.load(ordering: .relaxed) { wake() }
        return true
    }

    /// Runs `body` (a replay) with the pushing thread draining the ring itself.
    public func whilePusherDrains<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pusherDrains.store(true, ordering: .releasing)
        defer {
            pusherDrains.store(false, ordering: .releasing)
            // Forwarding may have started (and pushed) before the flag went down.
            if !ring.isEmpty { wake() }
        }
        return try body()
    }

    /// Events refused because the ring was full (each retried on the station's next frame).
    public var overflowCount: Int { overflows.load(ordering: .relaxed) }

    /// True when events wait.
    public var hasPending: Bool { !ring.isEmpty }

    /// Applies every queued event to the VM table, a slice per lock hold, and hands each
    /// slice's result to `handle` (outside the table's lock).
    public func drain(_ handle: (VMBatch) -> Void = { _ in }) {
        consumer.withLock { slice in
            while !ring.isEmpty {
                slice.removeAll(keepingCapacity: true)
                while slice.count < Self.slice, let event = ring.pop() { slice.append(event) }
                handle(vms.apply(slice))
            }
        }
    }
}
