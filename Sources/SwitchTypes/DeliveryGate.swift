#if canImport(Glibc)
import Glibc
#endif

/// The receiver's closure behind a lock, so that once `close` returns nothing is delivered
/// any more: `close` waits for a delivery in progress (a short hand-off) and bars the rest.
///
/// The mutex is recursive: a receiver that stops the client from inside its closure (or
/// drops the last reference to it there, which stops it from deinit) must not deadlock.
/// Shared by the clients that run a C library on a thread of their own (libvirt, libpq).
public final class DeliveryGate<Event: Sendable>: @unchecked Sendable {
    private let deliver: @Sendable (Event) -> Void
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // Guarded by `mutex`.
    private var closed = false

    public init(_ deliver: @escaping @Sendable (Event) -> Void) {
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

    /// Hands `event` to the receiver unless closed.
    public func send(_ event: Event) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if !closed { deliver(event) }
    }

    public func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_mutex_unlock(mutex)
    }

    public var isClosed: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return closed
    }
}
