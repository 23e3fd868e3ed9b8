import SwitchTypes

/// When one port's LLDP agent sends (802.1AB's transmit timer state machine, the parts a
/// bridge port needs): every `interval`, and after the agent starts (enable, link up) or
/// hears a new neighbour, `fastCount` frames `fastInterval` apart (txFast); when it stops
/// (disabled, link down, tx turned off) one shutdown LLDPDU (TTL 0), after which it may
/// not start again for `reinitDelay` (so a flapping link cannot make it chatter).
public struct LLDPTransmitTimer: Hashable, Sendable {
    /// msgTxInterval.
    public var interval: Int64 = 30
    /// txFastInit: frames sent fast after a start or a new neighbour.
    public var fastCount = 4
    /// msgFastTx, seconds.
    public var fastInterval: Int64 = 1
    /// reinitDelay, seconds.
    public var reinitDelay: Int64 = 2

    /// When it next sends; nil while stopped.
    public private(set) var nextTransmit: Timestamp?
    /// Fast frames still to send.
    public private(set) var fastRemaining = 0
    /// Not started again before this (after a stop).
    public private(set) var quietUntil: Timestamp?

    public init() {}

    public var isRunning: Bool { nextTransmit != nil }

    /// The agent starts (LLDP enabled with tx on the port, link up): fast start, the first
    /// frame now — or, within `reinitDelay` of a stop, as soon as the delay has passed.
    public mutating func start(at now: Timestamp) {
        guard !isRunning else { return }
        fastRemaining = fastCount
        nextTransmit = max(now, quietUntil ?? now)
    }

    /// A new neighbour was heard: it learns about us at once (fast start again).
    public mutating func newNeighbor(at now: Timestamp) {
        guard let next = nextTransmit else { return }
        fastRemaining = fastCount
        nextTransmit = min(next, now)
    }

    /// The configuration changed what we advertise: send it now, then on schedule.
    public mutating func somethingChanged(at now: Timestamp) {
        guard let next = nextTransmit else { return }
        nextTransmit = min(next, now)
    }

    /// True when a frame is due at `now`.
    public func isDue(at now: Timestamp) -> Bool { nextTransmit.map { $0 <= now } ?? false }

    /// A frame was sent at `now`: the next one fast, or after the interval.
    public mutating func sent(at now: Timestamp) {
        guard isRunning else { return }
        let fast = fastRemaining > 0
        if fast { fastRemaining -= 1 }
        let wait = fast && fastRemaining > 0 ? fastInterval : interval
        nextTransmit = now + seconds(wait)
    }

    /// The agent stops. Returns true when a shutdown LLDPDU must go out (it was sending).
    public mutating func stop(at now: Timestamp) -> Bool {
        guard isRunning else { return false }
        nextTransmit = nil
        fastRemaining = 0
        quietUntil = now + seconds(reinitDelay)
        return true
    }

    private func seconds(_ value: Int64) -> Int64 { value * 1_000_000_000 }
}

extension Timestamp {
    /// `time` plus `nanoseconds`.
    static func + (time: Timestamp, nanoseconds: Int64) -> Timestamp {
        Timestamp(nanoseconds: time.nanoseconds + nanoseconds)
    }
}
