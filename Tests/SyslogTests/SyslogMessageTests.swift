import Foundation
import Syslog
import Testing

/// The RFC 5424 formatter, field by field: PRI, timestamp, header character rules and
/// lengths, structured data escaping, the length limit.
@Suite struct SyslogMessageTests {
    let time = Date(timeIntervalSince1970: 1_763_700_000.25)

    func message(hostname: String = "rack12-tor", appName: String = "vmready", procID: String = "4242",
                 msgID: String = "virt", data: [StructuredDataElement] = [], text: String = "VM moved") -> SyslogMessage {
        SyslogMessage(facility: 23, severity: 5, time: time, hostname: hostname, appName: appName, procID: procID,
                      msgID: msgID, structuredData: data, message: text)
    }

    @Test func formatsEveryHeaderField() {
        #expect(message().text == "<189>1 2025-11-21T04:40:00.250000Z rack12-tor vmready 4242 virt - VM moved")
    }

    @Test func priIsFacilityTimesEightPlusSeverity() {
        for facility in [0, 16, 23] {
            for severity in 0...7 {
                let m = SyslogMessage(facility: facility, severity: severity, time: time, hostname: "h", appName: "a",
                                      procID: "1", msgID: "m", message: "x")
                #expect(m.text.hasPrefix("<\(facility * 8 + severity)>1 "))
            }
        }
    }

    @Test func timestampIsUTCWithMicroseconds() {
        #expect(SyslogMessage.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(SyslogMessage.timestamp(Date(timeIntervalSince1970: 1_796_066_773.015625)) == "2026-11-30T19:26:13.015625Z", "a fraction a double holds exactly")
        // The switch clock's nanoseconds, through a Date: not cut to .249999.
        #expect(SyslogMessage.timestamp(Date(timeIntervalSince1970: Double(1_735_725_600_250_000_000 as Int64) / 1e9))
                == "2025-01-01T10:00:00.250000Z")
        #expect(SyslogMessage.timestamp(Date(timeIntervalSince1970: 1_735_725_600.9999999)) == "2025-01-01T10:00:01.000000Z")
    }

    @Test func headerFieldsArePrintableASCIIWithinTheirLengths() {
        let m = message(hostname: "a b\u{7f}é", appName: String(repeating: "x", count: 60), procID: "",
                        msgID: String(repeating: "m", count: 40))
        let fields = m.text.split(separator: " ", omittingEmptySubsequences: false)
        #expect(fields[2] == "a_b__")
        #expect(fields[3].count == 48)
        #expect(fields[4] == "-", "an empty PROCID is the NILVALUE")
        #expect(fields[5].count == 32)
        #expect(SyslogMessage.headerField(String(repeating: "h", count: 300), maximum: 255).count == 255)
    }

    @Test func structuredDataValuesAreEscaped() {
        let element = StructuredDataElement(id: "vmready@32473", parameters: [("mac", "00:50:56:9c:00:c8"),
                                                                             ("port", #"3"]\x"#)])
        #expect(element.text == #"[vmready@32473 mac="00:50:56:9c:00:c8" port="3\"\]\\x"]"#)
        #expect(message(data: [element]).text.hasSuffix(#"virt [vmready@32473 mac="00:50:56:9c:00:c8" port="3\"\]\\x"] VM moved"#))
    }

    @Test func invalidSDNamesAreLeftOut() {
        #expect(StructuredDataElement(id: "bad id", parameters: []).text == nil)
        #expect(StructuredDataElement(id: "a=b", parameters: []).text == nil)
        #expect(StructuredDataElement(id: String(repeating: "n", count: 33), parameters: []).text == nil)
        #expect(StructuredDataElement(id: "x@1@2", parameters: []).text == nil)
        #expect(StructuredDataElement(id: "x@32473", parameters: [("ok", "1"), ("no@", "2"), ("a]", "3"), ("", "4")]).text
                == #"[x@32473 ok="1"]"#)
        #expect(message(data: [StructuredDataElement(id: "bad id", parameters: [])]).text.contains(" virt - VM moved"))
    }

    @Test func longMessagesAreCutOnACharacter() {
        let text = String(repeating: "é", count: 3000)
        let bytes = message(text: text).bytes
        #expect(bytes.count <= SyslogMessage.maximumLength)
        #expect(bytes.count >= SyslogMessage.maximumLength - 1)
        #expect(String(validating: bytes, as: UTF8.self) != nil, "no half character at the end")
    }

    @Test func oversizedStructuredDataIsLeftOutNotCut() {
        let huge = StructuredDataElement(id: "x@32473", parameters: [("v", String(repeating: "z", count: 3000))])
        let text = message(data: [huge]).text
        #expect(text.hasPrefix("<189>1 2025-11-21T04:40:00.250000Z rack12-tor vmready 4242 virt - VM moved"))
    }

    @Test func emptyMessageEndsAfterTheStructuredData() {
        #expect(message(text: "").text == "<189>1 2025-11-21T04:40:00.250000Z rack12-tor vmready 4242 virt -")
    }

    /// Random field contents never produce a message that breaks the header's shape.
    @Test func randomFieldsKeepTheHeaderParseable() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab \"\\]=@é\u{0}\u{7f}\n[") + ["\u{1F600}"]
        func random(_ n: Int) -> String { String((0..<Int.random(in: 0...n, using: &generator)).map { _ in alphabet.randomElement()! }) }
        for _ in 0..<2000 {
            let element = StructuredDataElement(id: random(6), parameters: [(random(4), random(20))])
            let m = SyslogMessage(facility: 23, severity: 6, time: time, hostname: random(10), appName: random(10),
                                  procID: random(5), msgID: random(10), structuredData: [element], message: random(50))
            let bytes = m.bytes
            #expect(bytes.count <= SyslogMessage.maximumLength)
            let header = bytes.split(separator: UInt8(ascii: " "), maxSplits: 6, omittingEmptySubsequences: false)
            #expect(header.count >= 7)
            for field in header.prefix(6) { #expect(field.allSatisfy { (33...126).contains($0) }) }
            let sd = header[6]
            #expect(sd.first == UInt8(ascii: "-") || sd.first == UInt8(ascii: "["))
        }
    }
}
