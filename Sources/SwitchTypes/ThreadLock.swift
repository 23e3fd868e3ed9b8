#if canImport(Glibc)
import Glibc
#endif

/// A value guarded by a `pthread_mutex_t`: the lock of state shared with the
/// forwarding thread, in the dataplane (ports, the engine's hand-over) and in the
/// VM layer (the VM table, written on learning events).
///
/// Used instead of `Synchronization.Mutex` for state shared with the
/// forwarding thread because ThreadSanitizer intercepts pthread mutexes but
/// cannot see the futex-based `Mutex` on Linux (its lock lives in the
/// uninstrumented standard library), which made every guarded access look like
/// a race and hid real ones. `@unchecked Sendable` is sound: `value` is only
/// reached inside `withLock`, between lock and unlock, and `Value` must itself
/// be `Sendable`, as for `Mutex`-free designs like swift-nio's `NIOLockedValueBox`.
/// `withLock` is inlinable (with what it touches) so that callers in other
/// modules, some of them per batch on the forwarding thread, get it specialized.
public final class ThreadLock<Value: Sendable>: @unchecked Sendable {
    @usableFromInline var value: Value
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>

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
    @inlinable
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
