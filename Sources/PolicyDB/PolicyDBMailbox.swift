import Foundation
import Frames
import Synchronization

/// Requests from the switch to the client's thread. Posting locks, appends and writes one
/// byte to a pipe: never waits for the thread or the database. The thread polls the pipe
/// together with the database socket, so a request and a NOTIFY wake it alike.
final class PolicyDBMailbox: Sendable {
    enum Request: Sendable {
        case resolve(mac: MACAddress, name: String?, uuid: String?)
        case record(VMLocation)
        case remove(mac: MACAddress)
        case query(VMKey?, reply: @Sendable (Result<[VMLocation], PolicyDBError>) -> Void)
    }

    private struct Queue {
        var requests: [Request] = []
        var dropped = 0
        var stopped = false
        /// A byte is in the pipe and not yet drained: one is enough.
        var signalled = false
    }

    let limit: Int
    private let queue = Mutex(Queue())
    /// [read end, write end], both non-blocking and close-on-exec.
    private let pipe: (read: Int32, write: Int32)

    init(limit: Int) {
        self.limit = limit
        var fds: [Int32] = [-1, -1]
        // Without a pipe the thread could not be woken: nothing else works either.
        if Glibc.pipe(&fds) != 0 { fatalError("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        pipe = (fds[0], fds[1])
    }

    deinit {
        close(pipe.read)
        close(pipe.write)
    }

    /// The descriptor that becomes readable when something is posted.
    var wakeDescriptor: Int32 { pipe.read }

    /// Queues `request`; false (and counted) when the queue is full.
    @discardableResult
    func post(_ request: Request) -> Bool {
        let (accepted, wake) = queue.withLock { queue -> (Bool, Bool) in
            guard !queue.stopped else { return (false, false) }
            guard queue.requests.count < limit else {
                queue.dropped += 1
                return (false, false)
            }
            queue.requests.append(request)
            defer { queue.signalled = true }
            return (true, !queue.signalled)
        }
        if wake { signal() }
        return accepted
    }

    func stop() {
        queue.withLock { $0.stopped = true }
        signal()
    }

    /// Everything posted so far, and whether to stop; drains the pipe.
    func take() -> (requests: [Request], stop: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(pipe.read, &buffer, buffer.count) > 0 {}
        return queue.withLock { queue in
            defer {
                queue.requests.removeAll(keepingCapacity: true)
                queue.signalled = false
            }
            return (queue.requests, queue.stopped)
        }
    }

    var dropped: Int { queue.withLock { $0.dropped } }

    private func signal() {
        var byte: UInt8 = 1
        _ = write(pipe.write, &byte, 1)
    }
}
