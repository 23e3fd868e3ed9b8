
import Glibc




/// Writes text to a file descriptor, retrying short writes; errors (a closed pipe) are dropped
/// because a vanished reader must never take the switch down.
public final class FileDescriptorOutput {
    public let fd: Int32
    private var buffer: [UInt8] = []

    public init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func writeLines(_ lines: [String]) {
        for l in lines { write(l); write("\n") }
    }

    public func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Reads lines from a file descriptor without blocking on anything but the descriptor itself.
public final class FileDescriptorLineReader {
    private let fd: Int32
    /// When set, reads go through the session's input (which may end the session).
    private let input: SessionInput?
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false

    public init(fd: Int32) {
        self.fd = fd
        input = nil
    }

    public init(input: SessionInput) {
        fd = input.fd
        self.input = input
    }

    /// The next line without its line terminator, or nil at end of input.
    public func readLine() -> String? {
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = nl
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = nl + 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return line
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { raw in
                input.map { $0.read(into: raw) } ?? Glibc.read(fd, raw.baseAddress, raw.count)
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { eof = true } else { buffer.append(contentsOf: chunk[0..<n]) }
        }
    }
}
