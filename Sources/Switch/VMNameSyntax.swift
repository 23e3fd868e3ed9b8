import CommandEngine
import Console
import Dataplane
import Frames
import Virtualization

/// What a `vm NAME` argument means. The grammar tries MAC, index and IP before a
/// name, so a mistyped address (`00:50:56:00:00:0g`, `256.1.1.1`, `1.1.1`, `2147483648`)
/// would otherwise be kept as the name of a VM that never shows up. Text shaped like
/// an address or an index must be a valid one; a valid one given quoted names that VM.
enum VMNameSyntax {
    static func reference(_ text: String) throws(CommandFailure) -> VMReference {
        if let mac = MACFormat.parse(text) { return .mac(MACAddress(rawValue: mac)) }
        if let ip = IPv4Format.parse(text) { return .ip(IPv4Address(rawValue: ip)) }
        let digits = text.hasPrefix("-") ? Substring(text.dropFirst()) : Substring(text)
        if !digits.isEmpty, digits.allSatisfy(isDigit) {
            // Written as every number is (no leading zero), like the grammar's <0-2147483647>.
            guard let index = DecimalText.integer(text), VMEntry.indexRange.contains(index) else {
                throw CommandFailure("Invalid VM index \(text) (\(VMEntry.indexRange.lowerBound)-\(VMEntry.indexRange.upperBound))")
            }
            return .index(index)
        }
        if text.contains("."), text.allSatisfy({ $0 == "." || isDigit($0) }) {
            throw CommandFailure("Invalid IP address \(text)")
        }
        if looksLikeMAC(text) { throw CommandFailure("Invalid MAC address \(text)") }
        guard !text.isEmpty else { throw CommandFailure("Invalid VM name: it is empty") }
        return .name(text)
    }

    private static func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }

    /// Groups of one or two letters or digits split by `:` or (six of them) by `-`, or
    /// three groups of four split by `.`: the shapes of the accepted MAC spellings.
    static func looksLikeMAC(_ text: String) -> Bool {
        func groups(_ separator: Character) -> [Substring] {
            text.split(separator: separator, omittingEmptySubsequences: false)
        }
        func alphanumeric(_ group: Substring) -> Bool { group.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
        if text.contains(":") {
            let parts = groups(":")
            return parts.count >= 2 && parts.allSatisfy { (1...2).contains($0.count) && alphanumeric($0) }
        }
        if text.contains("-") {
            let parts = groups("-")
            return parts.count == 6 && parts.allSatisfy { (1...2).contains($0.count) && alphanumeric($0) }
        }
        if text.contains(".") {
            let parts = groups(".")
            return parts.count == 3 && parts.allSatisfy { $0.count == 4 && alphanumeric($0) }
        }
        return false
    }
}
