/// How long a client waits before trying again: `first` after the first failure, doubling
/// with each failure after it, never above `maximum`. The VM manager and policy database
/// clients retry this way.
public enum Backoff {
    public static func delay(first: Duration, maximum: Duration, afterFailures failures: Int) -> Duration {
        var delay = first
        var doublings = max(0, failures - 1)
        while doublings > 0 && delay < maximum {
            delay *= 2
            doublings -= 1
        }
        return min(delay, maximum)
    }
}
