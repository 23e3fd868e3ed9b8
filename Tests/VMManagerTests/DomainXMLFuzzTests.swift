import FrameTestSupport
import Frames
import Testing
import VMManager

/// The domain XML reader against damaged documents: every truncation of real XML and
/// seeded random mutations. It never traps, and whatever it accepts is well-formed output.
@Suite struct DomainXMLFuzzTests {
    static let seeds = [DomainXMLSamples.testDriver, DomainXMLSamples.decoys]

    /// Parses; when accepted, checks what any caller relies on. Returns whether accepted.
    @discardableResult
    static func check(_ xml: String, _ context: @autoclosure () -> String) -> Bool {
        guard let parsed = try? DomainXML.parse(xml) else { return false }
        #expect(!parsed.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(context())")
        #expect(DomainXML.canonicalUUID(parsed.uuid) == parsed.uuid && parsed.uuid.utf8.count == 36, "\(context())")
        #expect(Set(parsed.macs).count == parsed.macs.count, "\(context())")
        #expect(parsed.macs.allSatisfy { !$0.isMulticast && $0 != .zero }, "\(context())")
        return true
    }

    @Test func everyTruncation() {
        for seed in Self.seeds {
            let bytes = Array(seed.utf8)
            let end = Array("</domain>".utf8)
            // Only a prefix holding the root's end tag is a document.
            let wholeFrom = (0...(bytes.count - end.count)).last { Array(bytes[$0..<($0 + end.count)]) == end }! + end.count
            var accepted = 0
            for length in 0...bytes.count {
                let prefix = String(decoding: bytes.prefix(length), as: UTF8.self)
                if Self.check(prefix, "prefix \(length) of \(seed)") { accepted += 1 }
            }
            #expect(accepted == bytes.count - wholeFrom + 1, "\(seed)")
        }
    }

    @Test func randomMutations() {
        var generator = SplitMix(state: 0x7669_7274_0001)
        var accepted = 0
        var rejected = 0
        for round in 0..<20_000 {
            var bytes = Array(Self.seeds[Int.random(in: 0..<Self.seeds.count, using: &generator)].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                Self.mutate(&bytes, using: &generator)
            }
            let xml = String(decoding: bytes, as: UTF8.self)
            if Self.check(xml, "round \(round): \(xml)") { accepted += 1 } else { rejected += 1 }
        }
        // Both outcomes happen: the mutations neither always break nor never break a document.
        #expect(accepted > 2000 && rejected > 2000, "accepted \(accepted), rejected \(rejected)")
    }

    /// XML-aware damage: tokens that change structure, besides plain byte edits.
    static let tokens = ["<", ">", "/>", "</", "'", "\"", "&", "&amp;", "&#0;", "&#x110000;", "<![CDATA[", "]]>",
                         "<!--", "-->", "<?x?>", "<mac address='ff:ff:ff:ff:ff:ff'/>", "<mac address='02:00:00:00:00:01'/>",
                         "<interface>", "</interface>", "<name>", "</name>", "<uuid>", "</uuid>", "<devices>",
                         "\u{0}", "\u{FEFF}", "é", "<!DOCTYPE domain>", "xmlns:a='x'", "a:"]

    static func mutate(_ bytes: inout [UInt8], using generator: inout SplitMix) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<6, using: &generator) {
        case 0 where !bytes.isEmpty:
            bytes[position] = UInt8.random(in: 0x20...0x7e, using: &generator)
        case 1 where !bytes.isEmpty:
            bytes.remove(at: position)
        case 2:
            let token = tokens[Int.random(in: 0..<tokens.count, using: &generator)]
            bytes.insert(contentsOf: Array(token.utf8), at: position)
        case 3 where !bytes.isEmpty:
            let length = Int.random(in: 1...min(40, bytes.count - position), using: &generator)
            bytes.removeSubrange(position..<(position + length))
        case 4 where !bytes.isEmpty:
            let length = Int.random(in: 1...min(60, bytes.count - position), using: &generator)
            bytes.insert(contentsOf: Array(bytes[position..<(position + length)]), at: position)
        default:
            // A hex digit of a MAC or the UUID flipped to a letter out of range.
            if let colon = bytes[position...].firstIndex(of: UInt8(ascii: ":")), colon + 1 < bytes.count {
                bytes[colon + 1] = UInt8(ascii: "g")
            }
        }
    }
}
