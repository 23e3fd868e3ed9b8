import Glibc

/// The self-pipe a blocked `poll` is woken through: a session waiting for input, the
/// control socket's accept loop. Both ends are non-blocking (a full pipe already holds a
/// wake-up, so a writer never waits) and close-on-exec (a child process must not keep
/// them open).
public enum WakePipe {
    /// The (read, write) ends; (-1, -1) when the process is out of descriptors, which
    /// leaves the waiter to its poll timeout instead of failing the session.
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
