import SwitchTypes

/// The switch's notion of now: injected so that tests and pcap replay run on
/// virtual time while a live switch runs on the system clock.
///
/// The forwarding path reads it once per batch, so it must be cheap and safe
/// to call from any thread.
public protocol DataplaneClock: Sendable {
    /// The current time.
    func now() -> Timestamp
}
