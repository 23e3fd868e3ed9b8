#if canImport(Glibc)
import Glibc
#endif

/// A plain POSIX thread for the forwarding loop: it must not be a Swift
/// concurrency task, since it blocks in `poll` and runs for the switch's life.
struct ForwardingThread: Sendable {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private let handle: pthread_t

    /// Starts `body` on a new thread; nil if the system refuses one.
    static func start(_ body: @escaping @Sendable () -> Void) -> ForwardingThread? {
        var handle = pthread_t()
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&handle, nil, { argument in
            guard let argument else { return nil }
            Unmanaged<Body>.fromOpaque(argument).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
        return ForwardingThread(handle: handle)
    }

    /// Waits for the thread to end.
    func join() {
        pthread_join(handle, nil)
    }
}
