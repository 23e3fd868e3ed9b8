#if canImport(Glibc)
import Glibc
#endif

/// A self-pipe that wakes the forwarding thread from `poll` when there is work
/// that no device descriptor announces (configuration, requests, memory ports).
final class Wakeup: Sendable {
    /// The end to poll; -1 if no pipe could be made (the thread then polls with a short timeout).
    let descriptor: Int32
    private let writeEnd: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        }
        descriptor = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if writeEnd >= 0 { close(writeEnd) }
    }

    /// Makes the descriptor readable. Safe from any thread: a write(2) on an
    /// immutable descriptor; a full pipe already means "wake up".
    func signal() {
        guard writeEnd >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Consumes pending signals.
    func drain() {
        guard descriptor >= 0 else { return }
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &bytes, { read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
    }
}
