import Foundation
import FrameTestSupport
import Frames
@testable import PolicyDB
import SwitchTypes
import Testing

/// Everything the policy code reads from outside (operators' typing, rows written with
/// psql, JSON files, NOTIFY payloads from anyone) fed seeded random and truncated input:
/// nothing crashes, and whatever is accepted obeys the rules.
struct PolicyDecoderFuzzTests {
    static let alphabet = Array("0123456789abcdefABCDEF:-._ xyzé\u{0}\n{}[]\",NULL".unicodeScalars)

    static func randomText(_ rng: inout SplitMix, maximum: Int = 40) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maximum, using: &rng) { text.append(alphabet.randomElement(using: &rng) ?? "a") }
        return String(text)
    }

    /// A valid-looking seed mutated at random: replace, drop or insert a few characters.
    static func mutate(_ text: String, _ rng: inout SplitMix) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            let index = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0 where !scalars.isEmpty: scalars[index] = alphabet.randomElement(using: &rng) ?? "a"
            case 1 where !scalars.isEmpty: scalars.remove(at: index)
            default: scalars.insert(alphabet.randomElement(using: &rng) ?? "a", at: index)
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    @Test func vmKeyParsing() {
        var rng = SplitMix(state: 0x5eed_0001)
        let seeds = ["02:00:00:00:00:01", "0200.0000.0001", "02-00-00-00-00-01", "4dea22b3-1d52-d8f3-2516-782e98ab3fa0", "web-01.a_b"]
        for round in 0..<20_000 {
            let seed = seeds[round % seeds.count]
            let text = round % 3 == 0 ? Self.randomText(&rng) : Self.mutate(seed, &rng)
            for candidate in [text, String(text.prefix(Int.random(in: 0...text.count, using: &rng)))] {
                guard let key = VMKey(parsing: candidate) else {
                    #expect(MACAddress(candidate) == nil && !PolicyNames.isValid(candidate))
                    continue
                }
                // What is stored reads back as the same key.
                #expect(VMKey(kind: key.kind, key: key.key) == key, "\(candidate)")
                switch key {
                case .mac(let mac): #expect(MACAddress(candidate) == mac)
                case .uuid(let uuid): #expect(uuid == candidate.lowercased() && VMKey.canonicalUUID(uuid) == uuid)
                case .name(let name): #expect(name == candidate && PolicyNames.isValid(name) && MACAddress(name) == nil)
                }
            }
        }
        #expect(VMKey(parsing: "0200.0000.0001") == .mac(MACAddress(0x02, 0, 0, 0, 0, 1)))
        #expect(VMKey(parsing: "4DEA22B3-1D52-D8F3-2516-782E98AB3FA0") == .uuid("4dea22b3-1d52-d8f3-2516-782e98ab3fa0"))
        #expect(VMKey(kind: "mac", key: "02:00:00:00:00:0A") == nil)
        #expect(VMKey(kind: "vm", key: "x") == nil)
    }

    @Test func profileRowValidation() {
        var rng = SplitMix(state: 0x5eed_0002)
        func field(_ rng: inout SplitMix) -> String? {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: nil
            case 1: Self.randomText(&rng, maximum: 8)
            case 2: String(Int.random(in: -5...5000, using: &rng))
            case 3: String(Int.random(in: 60...20_000_000, using: &rng))
            case 4: String(Int.random(in: Int.min...Int.max, using: &rng))
            default: String(Int.random(in: 1...300, using: &rng))
            }
        }
        var accepted = 0
        for _ in 0..<20_000 {
            var row: [String?] = [Bool.random(using: &rng) ? "p\(Int.random(in: 0...9, using: &rng))" : Self.randomText(&rng, maximum: 40)]
            row.append(field(&rng))
            row.append(["t", "f", nil].randomElement(using: &rng) ?? nil)
            for _ in 0..<6 { row.append(field(&rng)) }
            let acls = (0..<Int.random(in: 0...3, using: &rng)).map { _ in field(&rng) ?? "NULL" }.joined(separator: ",")
            row.append(Bool.random(using: &rng) ? acls : Self.randomText(&rng, maximum: 10))
            switch PolicyRowDecoder.profile(row) {
            case .success(let profile):
                accepted += 1
                #expect(profile.validate() == nil)
                #expect(PolicyProfile.vlanRange.contains(Int(profile.vlan)))
                // What the client writes reads back as the same profile.
                // What the client writes (text as the server returns it) reads back the same.
                let written = PolicyRowDecoder.parameters(profile).enumerated().map { index, value -> String? in
                    switch index {
                    case 2: profile.tagged ? "t" : "f"
                    case 9: profile.acls.map(String.init).joined(separator: ",")
                    default: value
                    }
                }
                #expect((try? PolicyRowDecoder.profile(written).get()) == profile)
            case .failure(let bad):
                #expect(bad.table == "profiles" && !bad.reason.isEmpty)
            }
            if case .success(let assignment) = PolicyRowDecoder.assignment(Array(row.prefix(3))) {
                #expect(VMKey(kind: assignment.key.kind, key: assignment.key.key) == assignment.key)
            }
            if case .success(let vsiType) = PolicyRowDecoder.vsiType(Array(row.prefix(3))) { #expect(vsiType.validate() == nil) }
            if case .success(let location) = PolicyRowDecoder.location(Array(row.prefix(6))) { #expect(location.validate() == nil) }
        }
        #expect(accepted > 0)
    }

    @Test func documentDecoding() throws {
        var rng = SplitMix(state: 0x5eed_0003)
        let valid = PolicyDocument(
            profiles: [PolicyProfile(name: "web", vlan: 10, tagged: true, shaping: Shaping(averageKbps: 64, burstKBytes: 1, peakKbps: 64), acls: [1])],
            assignments: [PolicyAssignment(key: .mac(MACAddress(0x02, 0, 0, 0, 0, 1)), profile: "web")],
            vsiTypes: [VSITypeRow(typeID: 1, version: 2, profile: "web")]).json()
        #expect(try PolicyDocument.decode(valid).validate() == nil)
        for round in 0..<5_000 {
            var bytes = [UInt8](valid)
            if round % 2 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            } else {
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            guard let document = try? PolicyDocument.decode(Data(bytes)) else { continue }
            // Whatever decodes re-encodes and decodes to itself.
            #expect(try PolicyDocument.decode(document.json()) == document)
            if document.validate() == nil { #expect(document.profiles.allSatisfy { $0.validate() == nil }) }
        }
    }

    @Test func notificationPayloads() {
        var rng = SplitMix(state: 0x5eed_0004)
        let seeds = [#"{"table": "profiles", "key": "web"}"#, #"{"table": "vsi_types", "key": null}"#]
        for round in 0..<10_000 {
            let payload = round % 2 == 0 ? Self.randomText(&rng) : Self.mutate(seeds[round % 2 == 1 ? 1 : 0], &rng)
            let change = PolicyChange(payload: payload)
            // Unreadable means "something changed": both kinds of re-read.
            if case .other = change.table { #expect(change.affectsAssignments && change.affectsVSITypes) }
        }
        #expect(PolicyChange(payload: seeds[0]) == PolicyChange(table: .profiles, key: "web"))
        #expect(PolicyChange(payload: seeds[1]) == PolicyChange(table: .vsiTypes, key: nil))
    }

    @Test func aclListsAndPortNames() {
        var rng = SplitMix(state: 0x5eed_0005)
        for _ in 0..<10_000 {
            let text = Self.randomText(&rng, maximum: 12)
            if let acls = PolicyRowDecoder.acls(text) {
                #expect(acls.count == (text.isEmpty ? 0 : text.split(separator: ",", omittingEmptySubsequences: false).count))
            }
            if VMLocation.isPortName(text) { #expect(text.allSatisfy { $0.isNumber || $0 == "." }) }
        }
        #expect(PolicyRowDecoder.acls("1,NULL") == nil)
        #expect(PolicyRowDecoder.acls("") == [])
        #expect(VMLocation.isPortName("1.2") && !VMLocation.isPortName("1.") && !VMLocation.isPortName("1.2.3"))
    }
}
