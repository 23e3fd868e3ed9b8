#if canImport(Glibc)
import Glibc
#endif

/// The receiver's closure behind a lock, so that once `close` returns nothing is delivered
/// any more: `close` waits for a delivery in progress and bars the rest. Recursive: a
/// receiver that stops the client from inside its closure must not deadlock.
final class PolicyDBDeliveryGate: @unchecked Sendable {
    private let deliver: @Sendable (PolicyDBEvent) -> Void
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // Guarded by `mutex`.
    private var closed = false

    init(_ deliver: @escaping @Sendable (PolicyDBEvent) -> Void) {
        self.deliver = deliver
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func send(_ event: PolicyDBEvent) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if !closed { deliver(event) }
    }

    func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_mutex_unlock(mutex)
    }

    var isClosed: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return closed
    }
}
