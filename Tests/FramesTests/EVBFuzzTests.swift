import FrameTestSupport
import Frames
import Testing

/// Every decoder of the EVB family against damaged lldpad frames: every truncation of every
/// frame and seeded random mutations. Nothing traps; what is accepted re-encodes to a value
/// that decodes the same; a VDPDU cut inside a TLV is refused.
@Suite struct EVBFuzzTests {
    /// Decodes a frame every way it could be one of ours, checking what is accepted.
    static func check(_ frame: [UInt8], _ context: @autoclosure () -> String) {
        if let pdu = try? ECPDU(decodingFrame: frame) {
            #expect((try? ECPDU(decodingFrame: pdu.frame(source: .zero))) == pdu, "\(context())")
            if let unit = try? VDPDU(decoding: pdu.payload) {
                let encoded = try? unit.encode()
                #expect(encoded.flatMap { try? VDPDU(decoding: $0) } == unit, "\(context())")
            }
        }
        if frame.count > 14, let unit = try? LLDPDU(decoding: Array(frame[14...])) {
            for case .organizational(let tlv) in unit.tlvs {
                if let evb = try? EVBTLV(tlv) { #expect((try? EVBTLV(information: evb.information)) == evb, "\(context())") }
            }
        }
    }

    @Test func everyTruncation() throws {
        try #require(!EVBCorpus.frames.isEmpty)
        for (name, frame) in EVBCorpus.frames {
            for length in 0..<frame.count { Self.check(Array(frame.prefix(length)), "\(name) cut at \(length)") }
        }
        // A VDPDU cut anywhere but after its Manager ID is refused.
        let payload = try ECPDU(decodingFrame: EVBCorpus.frame("ecp-assoc-request")).payload
        for length in 1..<payload.count where length != 18 {
            #expect(throws: VDPDecodingError.self, "cut at \(length)") { try VDPDU(decoding: Array(payload.prefix(length))) }
        }
    }

    @Test func seededMutations() {
        var random = SplitMix(state: 0x8021_0bd0)
        var accepted = 0
        for round in 0..<20_000 {
            var frame = EVBCorpus.frames[round % EVBCorpus.frames.count].bytes
            for _ in 0...Int(random.next() % 4) {
                let at = 12 + Int(random.next() % UInt64(frame.count - 12))
                frame[at] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 4 == 0 { frame += (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
            Self.check(frame, "round \(round)")
            if (try? ECPDU(decodingFrame: frame)).flatMap({ try? VDPDU(decoding: $0.payload) }) != nil { accepted += 1 }
        }
        // Some damage leaves a valid PDU (a changed MAC or UUID): both paths were taken.
        #expect(accepted > 1000 && accepted < 20_000)
    }
}
