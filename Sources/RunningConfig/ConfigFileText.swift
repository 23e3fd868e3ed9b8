import Foundation

/// Configuration text as it arrives from a file, made into the `\n`-separated lines the
/// switch replays.
///
/// Editors on other systems save with CRLF line endings and sometimes a UTF-8 byte-order
/// mark. Swift treats `"\r\n"` as one character, so such a file split on `"\n"` is one
/// long line, and a mark in front of line 1 makes it invalid input. Both are taken off
/// wherever configuration text is read: a startup-config file, flash, `copy file`,
/// the archive.
public enum ConfigFileText {
    /// The UTF-8 byte-order mark.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `text` without a leading byte-order mark and with every CRLF made LF.
    public static func normalized(_ text: String) -> String {
        decode(Data(text.utf8))
    }

    /// The bytes of a configuration file as text: UTF-8 (invalid sequences replaced),
    /// without a leading byte-order mark, CRLF made LF. A lone CR is kept: it is part
    /// of the line, and the line's command rejects it.
    public static func decode(_ data: Data) -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: byteOrderMark) { bytes.removeFirst(byteOrderMark.count) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { continue }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A first line of a file read line by line, without its byte-order mark.
    public static func firstLine(_ line: String) -> String {
        line.unicodeScalars.first == "\u{FEFF}" ? String(line.unicodeScalars.dropFirst()) : line
    }
}
