import Foundation

/// The operator's side of a terminal (a pty controller, the far end of a serial line): type
/// keys, and wait for text to appear in what comes back.
public final class TerminalConnection {
    public let fd: Int32
    private var received = ""
    private let ownsDescriptor: Bool

    /// `owns`: close `fd` when done.
    public init(fd: Int32, owns: Bool = true) {
        self.fd = fd
        ownsDescriptor = owns
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { if ownsDescriptor { close(fd) } }

    public func type(_ text: String) {
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    /// Reads until `text` has appeared (after what earlier waits consumed), or gives up after
    /// `seconds`. Returns everything read up to and including it. Only bounds a wait.
    public func wait(for text: String, seconds: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let r = received.range(of: text) {
                let out = String(received[..<r.upperBound])
                received = String(received[r.upperBound...])
                return out
            }
            guard Date() < deadline else { return nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                var buf = [UInt8](repeating: 0, count: 4096)
                let n = read(fd, &buf, buf.count)
                if n > 0 { received += String(decoding: buf[0..<n], as: UTF8.self) }
            }
        }
    }

    /// What arrived and no wait has consumed yet.
    public var unread: String { received }
}
