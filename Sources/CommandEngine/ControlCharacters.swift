/// Control characters in input lines. Terminal escapes (ESC, BEL, ^A, C1 controls) stored in
/// a description or a name would later be printed raw to every operator who shows them, and
/// bidirectional overrides make a name display as something else; the engine refuses them
/// all before matching, so no command ever sees one.
public enum ControlCharacters {
    /// Whether `scalar` is refused in input: C0 (except TAB, a separator), DEL, C1, and the
    /// bidirectional embedding, override and isolate controls.
    public static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1f, 0x7f...0x9f: true
        case 0x202a...0x202e, 0x2066...0x2069: true
        default: false
        }
    }

    /// The column (in characters) of the first refused character of `line`, if any.
    public static func firstRefused(in line: String) -> (column: Int, scalar: Unicode.Scalar)? {
        // Printable ASCII, the usual line, is one pass over its bytes; the rest (UTF-8 text,
        // a control character) is walked by character for the caret's column.
        if line.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7f) || $0 == 0x09 }) { return nil }
        for (column, character) in line.enumerated() {
            if let scalar = character.unicodeScalars.first(where: isRefused) { return (column, scalar) }
        }
        return nil
    }

    /// How a refused character is named in messages: caret notation for C0 and DEL (`^[`,
    /// `^G`, `^?`), `U+XXXX` for the others.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00...0x1f: "^" + String(Unicode.Scalar(UInt8(scalar.value) + 0x40))
        case 0x7f: "^?"
        default: "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        }
    }

    /// `text` with every refused character shown by its name: safe to print to a terminal.
    public static func visible(_ text: String) -> String {
        guard firstRefused(in: text) != nil else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isRefused(scalar) { out += name(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
