import Frames

/// Something the VM table noticed while applying learning events that the control side
/// acts on: log it, err-disable a port. Returned with each batch (`VMTable.apply`), so the
/// table's lock is never held while the log or the configuration is written.
public enum VMEvent: Hashable, Sendable {
    /// A VM was detected for the first time.
    case detected(VMEntry)
    /// A known VM moved port.
    case moved(VMMove)
    /// A VM's IP address was learned or changed.
    case addressLearned(mac: MACAddress, ip: IPv4Address)
    /// Basic validation suspects a spoof.
    case suspected(VMSuspicion)
}

/// A suspected spoof found by basic validation.
public struct VMSuspicion: Hashable, Sendable {
    public enum Reason: Hashable, Sendable {
        /// The VM's MAC appeared on another port without a RARP or GARP.
        case unannounced
        /// The VM moved `VMCheckSettings.flapMoves` times within the flap window.
        case flapping
    }

    public var move: VMMove
    public var reason: Reason

    /// The port the suspect frames came in on.
    public var offendingPort: Int { move.toPort }

    public init(move: VMMove, reason: Reason) {
        self.move = move
        self.reason = reason
    }

    /// The log line.
    public var message: String {
        switch reason {
        case .unannounced:
            "suspected spoof: VM \(move.mac) appeared on port \(move.to) without announcement (was on port \(move.from))"
        case .flapping:
            "suspected spoof: VM \(move.mac) flapping between ports \(move.from) and \(move.to)"
        }
    }
}
