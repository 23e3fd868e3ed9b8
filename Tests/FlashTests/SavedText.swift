/// Checks a text written by `flash-torture`: `! save K` first, `! checksum H` last, H
/// the FNV-1a 64 hash of everything before the checksum line. (The same few lines as in
/// flash-torture: the test must not trust the writer's own code to judge it.)
enum SavedText {
    /// K when the text is whole and valid, nil otherwise.
    static func number(_ text: String) -> Int? {
        guard text.hasSuffix("\n"), text.hasPrefix("! save ") else { return nil }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard let last = lines.last, last.hasPrefix("! checksum "), let first = lines.first else { return nil }
        let body = text.dropLast(last.utf8.count + 1)
        guard String(last.dropFirst("! checksum ".count)) == String(fnv1a(body), radix: 16) else { return nil }
        return Int(first.dropFirst("! save ".count))
    }

    private static func fnv1a(_ text: Substring) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
