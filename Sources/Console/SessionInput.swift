import Foundation
import Glibc

/// Why a session ended, when it was not the operator's own `exit`.
public enum SessionEnd: Sendable, Equatable {
    /// The terminal or the connecting client went away (EIO, hang-up, a terminal's EOF).
    case hangup
    /// A batch's input (a script, a pipe) reached its end: the batch's normal logout.
    case endOfInput
    /// Idle longer than `exec-timeout`.
    case timedOut
    /// `clear line` from another session.
    case cleared(by: String)
    /// The switch is stopping.
    case shutdown

    /// What the operator's terminal is told, if anything can still reach it.
    public var message: String? {
        switch self {
        case .hangup, .endOfInput: nil
        case .timedOut: "% Session timed out (exec-timeout)"
        case .cleared(let by): "% Line cleared by \(by)"
        case .shutdown: "% The switch is shutting down"
        }
    }
}

/// A session's input: the descriptor it reads (a terminal, a script), watched together
/// with what may end the session while it waits — the connecting client's control socket
/// (its window-size messages, its disappearance), `clear line` and the idle limit. Every
/// read of a session goes through here, so no wait can outlive the session's reason to be.
/// Owned by the session's thread.
public final class SessionInput {
    public let fd: Int32
    private let control: Int32?
    private let line: SessionLine?
    /// Called on the session's thread when the client reports a new window size.
    var onResize: ((_ rows: Int, _ columns: Int) -> Void)?
    /// Set once the session must end; every later read returns nothing.
    public private(set) var ended: SessionEnd?
    /// Asked once, here: a terminal that hung up is no longer one (isatty fails on it).
    private let isTerminal: Bool

    /// `control`: the socket of a `vmready connect` client, if the session came that way.
    public init(fd: Int32, control: Int32? = nil, line: SessionLine? = nil) {
        self.fd = fd
        self.control = control
        self.line = line
        isTerminal = isatty(fd) == 1
    }

    /// False once the session must end: `clear line` (of another line or its own), the
    /// switch stopping, or an end already seen. A batch asks before each line, because the
    /// lines it has already read need no wait, where the request is otherwise noticed.
    public func isOpen() -> Bool {
        if ended == nil, let request = line?.endRequest {
            switch request {
            case .cleared(let by): ended = .cleared(by: by)
            case .shutdown: ended = .shutdown
            }
        }
        return ended == nil
    }

    /// Waits until `fd` has input (or its end to report); false when the session must end.
    public func waitReadable() -> Bool {
        while isOpen() {
            var timeout: Int32 = -1
            if let line, let limit = line.idleLimit(), limit > 0 {
                let remaining = limit - Date().timeIntervalSince(line.lastInput)
                if remaining <= 0 {
                    ended = .timedOut
                    break
                }
                timeout = Int32(min((remaining * 1000).rounded(.up), 3_600_000))
            }
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            if let line { fds.append(pollfd(fd: line.wakeFD, events: Int16(POLLIN), revents: 0)) }
            if let control { fds.append(pollfd(fd: control, events: Int16(POLLIN), revents: 0)) }
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 {
                if errno == EINTR { continue }
                ended = .hangup
                break
            }
            if n == 0 { continue } // the idle limit is checked again above
            if line != nil, fds[1].revents != 0 {
                var drained = [UInt8](repeating: 0, count: 64)
                _ = Glibc.read(line!.wakeFD, &drained, drained.count)
            }
            if control != nil, fds[fds.count - 1].revents != 0, !readControlMessage() {
                ended = .hangup
                break
            }
            if fds[0].revents != 0 { return true }
        }
        return false
    }

    /// One byte, or nil when the session must end (and `ended` says why).
    public func readByte() -> UInt8? {
        var byte: UInt8 = 0
        return withUnsafeMutableBytes(of: &byte) { read(into: $0) } == 1 ? byte : nil
    }

    /// Reads what is there (at least one byte); 0 when the session must end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while waitReadable() {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 {
                line?.touch()
                return n
            }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            // A terminal's EOF or EIO: its other side went away. Any other descriptor's
            // EOF is the end of what was sent: a script's last line, a normal end.
            ended = n == 0 && !isTerminal ? .endOfInput : .hangup
        }
        return 0
    }

    /// Handles one message from the client; false when the client has gone.
    private func readControlMessage() -> Bool {
        guard let control else { return true }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = recv(control, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        if n < 0 { return errno == EAGAIN || errno == EINTR }
        guard n > 0 else { return false }
        let words = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: " ")
        if words.count == 3, words[0] == "winch", let rows = Int(words[1]), let columns = Int(words[2]) {
            onResize?(rows, columns)
        }
        return true
    }
}
