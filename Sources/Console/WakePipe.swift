import Glibc

/// The self-pipe a blocked poll(2) also watches, so another thread can wake it (a session
/// cleared from another line, the accept loop asked to stop). Both ends are close-on-exec,
/// so child processes do not inherit them, and non-blocking, so a full pipe never blocks
/// the waker and draining never blocks the sleeper.
public enum WakePipe {
    /// The read and write ends; -1 for both when pipe(2) fails (poll then ignores them).
    public static func open() -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for fd in ends {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
        }
        return (ends[0], ends[1])
    }
}
