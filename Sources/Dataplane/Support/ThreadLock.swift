#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a `pthread_mutex_t`; also the lock of the VM-awareness layer,
/// whose state the forwarding thread writes on learning events.
///
/// Used instead of `Synchronization.Mutex` for state shared with the
/// forwarding thread because ThreadSanitizer intercepts pthread mutexes but
/// cannot see the futex-based `Mutex` on Linux (its lock lives in the
/// uninstrumented standard library), which made every guarded access look like
/// a race and hid real ones. `@unchecked Sendable` is sound: `value` is only
/// reached inside `withLock`, between lock and unlock, and `Value` must itself
/// be `Sendable`, as for `Mutex`-free designs like swift-nio's `NIOLockedValueBox`.
public final class ThreadLock<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Wraps `value`.
    public init(_ value: Value) {
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
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
