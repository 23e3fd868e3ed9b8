import CLineShim
import Glibc

/// Shows output a page at a time with `--More--` (space: page, enter: line, q: stop).
struct Pager {
    let inputFD: Int32
    let out: FileDescriptorOutput

    /// `pageLines` lines per page (0 = no paging).
    func show(_ lines: [String], pageLines: Int) {
        guard pageLines > 0, lines.count > pageLines else {
            out.writeLines(lines)
            out.flush()
            return
        }
        var i = 0
        var budget = pageLines
        while i < lines.count {
            while budget > 0 && i < lines.count {
                out.write(lines[i] + "\n")
                i += 1
                budget -= 1
            }
            guard i < lines.count else { break }
            out.write("--More--")
            out.flush()
            let key = Pager.readKey(inputFD)
            out.write("\r        \r")
            switch key {
            case UInt8(ascii: " "): budget = pageLines
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"): budget = 1
            default: // q, Ctrl-C, end of input: stop
                out.flush()
                return
            }
        }
        out.flush()
    }

    /// One key from a terminal, without echo or waiting for Enter; `q` at end of input.
    static func readKey(_ inputFD: Int32) -> UInt8 {
        _ = vmr_tty_cbreak(inputFD, 1)
        defer { _ = vmr_tty_cbreak(inputFD, 0) }
        var c: UInt8 = 0
        while true {
            let n = read(inputFD, &c, 1)
            if n == 1 { return c }
            if n < 0 && errno == EINTR { continue }
            return UInt8(ascii: "q")
        }
    }
}
