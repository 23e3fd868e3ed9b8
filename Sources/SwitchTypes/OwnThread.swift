import Foundation
import Synchronization

/// The thread a client of a blocking C library (libvirt, libpq) runs on: started by the
/// first `start`, later calls doing nothing, so that a client can be started from anywhere.
public final class OwnThread: Sendable {
    private let started = Mutex(false)

    public init() {}

    public func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return }
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }
}
