/// One word of an input line. Quoted strings are one token whose text excludes the quotes.
public struct Token: Sendable, Hashable {
    /// The token's text: for a quoted string, its content without quotes.
    public let text: String
    /// Offset of the token's first character in the line (in characters), for the caret.
    public let column: Int
    /// Whether the token was written in double quotes.
    public let quoted: Bool
    /// False for a quoted string whose closing quote is missing.
    public let terminated: Bool
    /// The token exactly as typed, quotes included.
    public let raw: String
    /// `text` in lower case, computed once: every keyword of a node is compared against it.
    public let lowercased: String

    init(text: String, column: Int, quoted: Bool, terminated: Bool, raw: String) {
        self.text = text
        self.column = column
        self.quoted = quoted
        self.terminated = terminated
        self.raw = raw
        lowercased = text.lowercased()
    }
}

/// Splits input lines into tokens: whitespace separates, double quotes group.
public enum Tokenizer {
    /// Returns the tokens and whether the line ends in whitespace (which decides whether
    /// `?` and TAB look at the last word or at the next one).
    public static func tokenize(_ line: String) -> (tokens: [Token], endsWithSpace: Bool) {
        // Nearly every line is printable ASCII: then a byte is a character (and a column),
        // and the scan needs no grapheme breaking, which cost more than the rest of parsing.
        if line.utf8.allSatisfy({ (0x20..<0x7f).contains($0) || $0 == 0x09 }) {
            return scan(Array(line.utf8), isSpace: { $0 == 0x20 || $0 == 0x09 }, quote: 0x22, backslash: 0x5c) {
                String(decoding: $0, as: UTF8.self)
            }
        }
        return scan(Array(line), isSpace: \.isWhitespace, quote: "\"", backslash: "\\") { String($0) }
    }

    /// The tokenizer proper, over characters or (for ASCII) bytes.
    private static func scan<Unit: Equatable>(_ chars: [Unit], isSpace: (Unit) -> Bool, quote: Unit, backslash: Unit,
                                              string: (ArraySlice<Unit>) -> String) -> (tokens: [Token], endsWithSpace: Bool) {
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            if isSpace(chars[i]) { i += 1; continue }
            let start = i
            if chars[i] == quote {
                i += 1
                // Inside quotes, \" stands for " and \\ for \ (how the configuration renders
                // such strings, so that they replay); any other backslash is itself.
                var text: [Unit] = []
                while i < chars.count && chars[i] != quote {
                    if chars[i] == backslash, i + 1 < chars.count, chars[i + 1] == quote || chars[i + 1] == backslash { i += 1 }
                    text.append(chars[i])
                    i += 1
                }
                let terminated = i < chars.count
                if terminated { i += 1 }
                // Text glued to a closing quote ("a"b) belongs to the same token and makes it invalid.
                var glued = false
                while i < chars.count && !isSpace(chars[i]) { i += 1; glued = true }
                tokens.append(Token(text: string(text[...]), column: start, quoted: true, terminated: terminated && !glued,
                                    raw: string(chars[start..<i])))
            } else {
                while i < chars.count && !isSpace(chars[i]) { i += 1 }
                let text = string(chars[start..<i])
                tokens.append(Token(text: text, column: start, quoted: false, terminated: true, raw: text))
            }
        }
        let endsWithSpace = chars.last.map(isSpace) ?? true
        return (tokens, endsWithSpace)
    }
}
