#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SwitchTypes

/// The real-time system clock.
public struct SystemClock: DataplaneClock {
    /// Creates the system clock.
    public init() {}

    /// Now, from `CLOCK_REALTIME`.
    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int64(spec.tv_nsec))
    }
}
