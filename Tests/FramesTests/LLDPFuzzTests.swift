import FrameTestSupport
import Frames
import Testing

/// Seeded random damage to valid LLDPDUs: the decoder never traps, and whatever it accepts
/// re-encodes to bytes that decode to the same value.
@Suite struct LLDPFuzzTests {
    /// Valid TLV areas to damage: the switch's LLDPDU and one per round-trip vector.
    static var seeds: [[UInt8]] {
        var seeds = [LLDPSamples.switchLLDPDUWire]
        for (_, bytes) in LLDPRoundTripTests.optionalVectors {
            seeds.append(LLDPSamples.mandatoryWire + bytes + [0, 0])
        }
        for (_, bytes) in LLDPRoundTripTests.chassisVectors {
            seeds.append(bytes + [0x04, 0x02, 0x07, 0x31, 0x06, 0x02, 0x00, 0x00])
        }
        // And what lldpd sent (802.3 TLVs, its own TLV order, the shutdown LLDPDU).
        let lldpd = (try? LLDPDUCorpusTests.frames("lldpd-1.0.16.pcap")) ?? []
        #expect(lldpd.count == 4)
        seeds += lldpd.map { Array($0.dropFirst(14)) }
        return seeds
    }

    /// Decodes; when accepted, checks decode(encode(value)) == value. Returns whether accepted.
    @discardableResult
    static func checkDecode(_ bytes: [UInt8], _ context: @autoclosure () -> String) -> Bool {
        let lldpdu: LLDPDU
        do { lldpdu = try LLDPDU(decoding: bytes) } catch { return false }
        let encoded: [UInt8]
        do {
            encoded = try lldpdu.encode()
        } catch {
            // Only one accepted input cannot re-encode: 1499–1500 octets without an End TLV,
            // which the encoder always adds.
            #expect(error == .tooLong(length: 1501) || error == .tooLong(length: 1502), "\(context())")
            return true
        }
        #expect((try? LLDPDU(decoding: encoded)) == lldpdu, "\(context())")
        return true
    }

    /// The offsets of the TLV headers of a valid TLV area, End included.
    static func headerOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var offset = 0
        while offset + 1 < bytes.count {
            offsets.append(offset)
            offset += 2 + (Int(bytes[offset] & 1) << 8 | Int(bytes[offset + 1]))
        }
        return offsets
    }

    @Test func truncationAtEveryLength() {
        for seed in Self.seeds {
            var accepted = 0
            for length in 0...seed.count {
                if Self.checkDecode(Array(seed.prefix(length)), "prefix \(length) of \(seed)") { accepted += 1 }
            }
            // Accepted: cuts at a TLV boundary after the TTL (End is optional) and the whole
            // seed; a cut inside a TLV or before the TTL's end is always malformed.
            #expect(accepted == Self.headerOffsets(seed).count - 3 + 1, "\(seed)")
        }
    }

    @Test func randomDamage() {
        var generator = SplitMix(state: 0x11d0_0001)
        let seeds = Self.seeds
        var accepted = 0
        var rejected = 0
        for round in 0..<20_000 {
            var bytes = seeds[Int.random(in: 0..<seeds.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                Self.mutate(&bytes, using: &generator)
            }
            if Self.checkDecode(bytes, "round \(round): \(bytes)") { accepted += 1 } else { rejected += 1 }
        }
        // Both outcomes happen: the mutations neither always break nor never break an LLDPDU.
        #expect(accepted > 1000 && rejected > 1000, "accepted \(accepted), rejected \(rejected)")
    }

    @Test func randomBytes() {
        var generator = SplitMix(state: 42)
        for round in 0..<5_000 {
            let count = Int.random(in: 0...1600, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Half start like a real LLDPDU so the decoder gets past the mandatory TLVs.
            if round % 2 == 0 { bytes = LLDPSamples.mandatoryWire + bytes }
            Self.checkDecode(bytes, "round \(round)")
        }
    }

    /// One kind of damage, picked at random.
    static func mutate(_ bytes: inout [UInt8], using generator: inout SplitMix) {
        let headers = headerOffsets(bytes)
        switch Int.random(in: 0..<10, using: &generator) {
        case 0 where !bytes.isEmpty: // flip a bit
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= 1 << UInt8.random(in: 0...7, using: &generator)
        case 1 where !bytes.isEmpty: // any value in one octet
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        case 2 where !headers.isEmpty: // a TLV length off by a little or anything
            let offset = headers.randomElement(using: &generator)!
            guard offset + 1 < bytes.count else { return }
            let length = Int(bytes[offset] & 1) << 8 | Int(bytes[offset + 1])
            let newLength = Bool.random(using: &generator)
                ? max(0, min(511, length + Int.random(in: -3...3, using: &generator)))
                : Int.random(in: 0...511, using: &generator)
            bytes[offset] = bytes[offset] & 0xfe | UInt8(newLength >> 8)
            bytes[offset + 1] = UInt8(newLength & 0xff)
        case 3 where headers.count > 1: // drop a TLV, mandatory ones included
            let index = Int.random(in: 0..<headers.count, using: &generator)
            let end = index + 1 < headers.count ? headers[index + 1] : bytes.count
            bytes.removeSubrange(headers[index]..<end)
        case 4 where headers.count > 1: // repeat a TLV
            let index = Int.random(in: 0..<headers.count - 1, using: &generator)
            let tlv = Array(bytes[headers[index]..<headers[index + 1]])
            bytes.insert(contentsOf: tlv, at: headers[Int.random(in: 0..<headers.count, using: &generator)])
        case 5 where headers.count > 2: // swap two neighbouring TLVs
            let index = Int.random(in: 0..<headers.count - 2, using: &generator)
            let first = Array(bytes[headers[index]..<headers[index + 1]])
            let second = Array(bytes[headers[index + 1]..<headers[index + 2]])
            bytes.replaceSubrange(headers[index]..<headers[index + 2], with: second + first)
        case 6: // truncate anywhere
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
        case 7: // a big reserved-type TLV, or one claiming 511 octets with up to 1500 following
            let type = UInt8.random(in: 9...126, using: &generator)
            let length = Int.random(in: 0...511, using: &generator)
            let following = Int.random(in: 0...1500, using: &generator)
            let tlv = LLDPSamples.header(type: type, length: length)
                + (0..<following).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes.insert(contentsOf: tlv, at: headers.count > 3 ? headers[3] : bytes.count)
        case 8 where headers.count > 2 && bytes.count >= headers[2] + 4: // a TTL of 0
            bytes[headers[2] + 2] = 0
            bytes[headers[2] + 3] = 0
        default: // a random TLV header (type and length) at a TLV boundary
            let type = UInt8.random(in: 0...127, using: &generator)
            let at = headers.isEmpty ? 0 : headers.randomElement(using: &generator)!
            bytes.insert(contentsOf: LLDPSamples.header(type: type, length: Int.random(in: 0...40, using: &generator)),
                         at: min(at, bytes.count))
        }
    }
}
