import CLineShim
import Foundation

/// A pseudo-terminal pair: the test types on the controller side, a session runs on the other.
final class PseudoTerminal {
    let controller: Int32
    let device: Int32
    private var received = ""

    init?() {
        var c: Int32 = -1, d: Int32 = -1
        guard vmr_open_pty(&c, &d) == 0 else { return nil }
        controller = c
        device = d
        var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(device, UInt(TIOCSWINSZ), &size)
        _ = fcntl(controller, F_SETFL, fcntl(controller, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(controller)
        close(device)
    }

    func type(_ text: String) {
        _ = text.withCString { write(controller, $0, strlen($0)) }
    }

    /// Reads until `text` has appeared (after what earlier waits consumed), or gives up after
    /// `seconds`. Returns everything read up to and including it.
    func wait(for text: String, seconds: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let r = received.range(of: text) {
                let out = String(received[..<r.upperBound])
                received = String(received[r.upperBound...])
                return out
            }
            var pfd = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                var buf = [UInt8](repeating: 0, count: 4096)
                let n = read(controller, &buf, buf.count)
                if n > 0 { received += String(decoding: buf[0..<n], as: UTF8.self) }
            }
        }
        return nil
    }
}
