import CLineShim
import Glibc

/// Shows output a page at a time with `--More--` (space: page, enter: line, q: stop).
struct Pager {
    let input: SessionInput
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
            let key = Pager.readKey(input)
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

    /// One key from a terminal, without echo or waiting for Enter; `q` at end of input
    /// (or when the session must end while waiting).
    static func readKey(_ input: SessionInput) -> UInt8 {
        _ = vmr_tty_cbreak(input.fd, 1)
        defer { _ = vmr_tty_cbreak(input.fd, 0) }
        return input.readByte() ?? UInt8(ascii: "q")
    }
}
