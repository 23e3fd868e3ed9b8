#if canImport(Glibc)
import Glibc
#endif

/// What reaches a client's thread: libvirt's callbacks (from the event loop's thread), the
/// switch's `publish` and `stop` (from any thread). Posting only locks and appends: no
/// poster ever waits for the thread or for a hypervisor.
///
/// pthread mutex and condition variable rather than `Synchronization.Mutex`: the thread
/// waits with a deadline (the next reconnect attempt), which `Mutex` cannot.
final class ClientMailbox: @unchecked Sendable {
    enum Message: Sendable {
        /// A lifecycle event of connection `generation` (events of an older connection are
        /// dropped: the reconnect re-read supersedes them).
        case lifecycle(generation: Int, uuid: String, name: String, event: Int32, detail: Int32)
        /// libvirt closed connection `generation` (`virConnectCloseReason`).
        case closed(generation: Int, reason: Int32)
        case stop
    }

    /// What one `take` hands over.
    struct Batch {
        var messages: [Message] = []
        /// Metadata to write, latest per UUID, in the order first asked.
        var publications: [(uuid: String, metadata: String?)] = []
        /// Events were dropped (the thread fell far behind): the inventory must be re-read.
        var resync = false

        var isEmpty: Bool { messages.isEmpty && publications.isEmpty && !resync }
    }

    /// Events queued beyond this are dropped for a full re-read: a host that floods events
    /// while its reader is blocked cannot grow the switch's memory without bound.
    static let maximumQueued = 10_000

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    // Guarded by `mutex`.
    private var messages: [Message] = []
    private var publications: [String: String?] = [:]
    private var publicationOrder: [String] = []
    private var resync = false

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        // Deadlines are on the monotonic clock: setting the wall clock moves no retry.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func post(_ message: Message) {
        locked {
            if case .lifecycle = message, messages.count >= Self.maximumQueued {
                resync = true
            } else {
                messages.append(message)
            }
        }
    }

    /// Replaces any metadata not yet taken for `uuid`.
    func publish(uuid: String, metadata: String?) {
        locked {
            if publications.updateValue(metadata, forKey: uuid) == nil { publicationOrder.append(uuid) }
        }
    }

    /// Waits until something is posted or `deadline` (`Monotonic.now` seconds) passes, and
    /// takes everything posted; empty on timeout.
    func take(until deadline: Double?) -> Batch {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while messages.isEmpty && publicationOrder.isEmpty && !resync {
            if let deadline {
                guard deadline > Monotonic.now else { return Batch() }
                var time = Monotonic.time(at: deadline)
                _ = pthread_cond_timedwait(condition, mutex, &time)
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
        var batch = Batch(messages: messages, resync: resync)
        batch.publications = publicationOrder.map { ($0, publications[$0] ?? nil) }
        messages.removeAll()
        publications.removeAll()
        publicationOrder.removeAll()
        resync = false
        return batch
    }

    private func locked(_ body: () -> Void) {
        pthread_mutex_lock(mutex)
        body()
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }
}

/// The monotonic clock in seconds, for retry deadlines.
enum Monotonic {
    static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func time(at seconds: Double) -> timespec {
        let whole = seconds.rounded(.down)
        return timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
    }
}
