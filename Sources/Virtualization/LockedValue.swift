#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a `pthread_mutex_t`, shared by the forwarding thread
/// (which writes on learning events) and the control side (which reads).
///
/// A pthread mutex rather than `Synchronization.Mutex` for the same reason as
/// the dataplane's own lock: ThreadSanitizer sees pthread mutexes, not the
/// futex inside the standard library. `@unchecked Sendable` is sound because
/// `value` is only reached inside `withLock` and `Value` is itself `Sendable`.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Wraps `value`.
    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(&value)
    }
}
