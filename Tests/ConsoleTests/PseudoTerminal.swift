import CLineShim
import Foundation
import TestSupport

/// A pseudo-terminal pair: the test types on the controller side, a session runs on the other.
final class PseudoTerminal {
    let device: Int32
    private let connection: TerminalConnection

    init?() {
        var c: Int32 = -1, d: Int32 = -1
        guard vmr_open_pty(&c, &d) == 0 else { return nil }
        device = d
        var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(device, UInt(TIOCSWINSZ), &size)
        connection = TerminalConnection(fd: c)
    }

    deinit { close(device) }

    func type(_ text: String) { connection.type(text) }

    /// Reads until `text` has appeared (after what earlier waits consumed), or gives up after
    /// `seconds`. Returns everything read up to and including it.
    func wait(for text: String, seconds: Double = 10) -> String? { connection.wait(for: text, seconds: seconds) }
}
