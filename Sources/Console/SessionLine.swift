import Foundation
import Glibc
import Synchronization

/// A line, as `show users` lists it: the local console (`con 0`) or a connected session
/// (`vty N`), who is on it, from where, and how long it has been idle. Shared between the
/// session's own thread and every other session (`show users`, `clear line`), so all of
/// its changing state sits behind a lock.
public final class SessionLine: Sendable {
    public enum Kind: String, Sendable {
        case console = "con"
        case vty
    }

    /// Why another party ended the session (`clear line`, exec-timeout, the switch stopping).
    public enum EndRequest: Sendable, Equatable {
        case cleared(by: String)
        case shutdown
    }

    public let kind: Kind
    public let number: Int
    public let user: String
    /// The user's uid, as the kernel vouched for it (SO_PEERCRED, or this process's own):
    /// what failed `enable` attempts are counted against.
    public let uid: UInt32
    /// Where the operator comes from: the SSH client's address, a tty name.
    public let from: String
    public let loginTime: Date
    /// Seconds of inactivity after which the session ends; nil = never. Asked at every
    /// wait, so a changed `exec-timeout` applies to sessions already open.
    public let idleLimit: @Sendable () -> Double?

    private struct State {
        var lastInput: Date
        var inConfig = false
        var endRequest: EndRequest?
    }
    private let state: Mutex<State>
    /// A pipe written to wake the session's thread out of its wait for input: it polls
    /// the read end (`wakeFD`) together with its terminal.
    let wakeFD: Int32
    private let wakeWriteFD: Int32

    public init(kind: Kind, number: Int, user: String, uid: UInt32 = getuid(), from: String,
                idleLimit: @escaping @Sendable () -> Double? = { nil }) {
        self.kind = kind
        self.number = number
        self.user = user
        self.uid = uid
        self.from = from
        self.idleLimit = idleLimit
        loginTime = Date()
        state = Mutex(State(lastInput: loginTime))
        (wakeFD, wakeWriteFD) = WakePipe.open()
    }

    deinit {
        if wakeFD >= 0 { close(wakeFD) }
        if wakeWriteFD >= 0 { close(wakeWriteFD) }
    }

    /// `con 0`, `vty 3`.
    public var name: String { kind.rawValue + " \(number)" }

    /// `vty 3 (alice)`: how messages and the log name the line.
    public var label: String { name + " (\(user))" }

    public var lastInput: Date { state.withLock { $0.lastInput } }
    public var inConfig: Bool { state.withLock { $0.inConfig } }
    public var endRequest: EndRequest? { state.withLock { $0.endRequest } }

    /// The operator typed something.
    public func touch() { state.withLock { $0.lastInput = Date() } }

    func setInConfig(_ on: Bool) { state.withLock { $0.inConfig = on } }

    /// Asks the session to end at its next wait for input (now, if it is waiting).
    public func requestEnd(_ request: EndRequest) {
        state.withLock { if $0.endRequest == nil { $0.endRequest = request } }
        wake()
    }

    /// Makes the session's thread look again at its end request and idle limit.
    public func wake() {
        var one: UInt8 = 1
        _ = Glibc.write(wakeWriteFD, &one, 1) // a full pipe is already a wake-up
    }
}
