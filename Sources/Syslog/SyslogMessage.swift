import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One RFC 5424 syslog message, and its text on the wire:
/// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`.
///
/// No maintained Swift or C library on this machine formats RFC 5424 for a remote
/// collector (swift-log has no syslog backend; libc's syslog(3) writes the local BSD format
/// to /dev/log), so the format is written here, small and tested field by field.
public struct SyslogMessage: Sendable, Hashable {
    /// 0 (kern) to 23 (local7).
    public var facility: Int
    /// 0 (emergency) to 7 (debug).
    public var severity: Int
    public var time: Date
    public var hostname: String
    public var appName: String
    public var procID: String
    public var msgID: String
    public var structuredData: [StructuredDataElement]
    public var message: String

    public init(facility: Int, severity: Int, time: Date, hostname: String, appName: String, procID: String,
                msgID: String, structuredData: [StructuredDataElement] = [], message: String) {
        self.facility = facility
        self.severity = severity
        self.time = time
        self.hostname = hostname
        self.appName = appName
        self.procID = procID
        self.msgID = msgID
        self.structuredData = structuredData
        self.message = message
    }

    /// Most octets of one formatted message. RFC 5426 (UDP) asks collectors to take 2048
    /// octets over IPv4 ("SHOULD"); keeping TCP to the same size means a collector sees the
    /// same message whichever transport carried it. Longer MSGs are cut (on a character).
    public static let maximumLength = 2048

    /// The message's octets: header fields cut to RFC 5424's lengths and characters, SD
    /// parameter values escaped, MSG plain UTF-8 without a BOM (RFC 5424's MSG-ANY: the
    /// events are mostly ASCII, and collectors that do not strip the BOM show it as junk),
    /// the whole cut to `maximumLength`.
    public var bytes: [UInt8] {
        let pri = min(max(facility, 0), 23) * 8 + min(max(severity, 0), 7)
        var head = "<\(pri)>1 " + Self.timestamp(time)
        head += " " + Self.headerField(hostname, maximum: 255)
        head += " " + Self.headerField(appName, maximum: 48)
        head += " " + Self.headerField(procID, maximum: 128)
        head += " " + Self.headerField(msgID, maximum: 32)
        let elements = structuredData.compactMap(\.text)
        var out = Array((head + " " + (elements.isEmpty ? "-" : elements.joined())).utf8)
        if out.count > Self.maximumLength {
            // Only a pathological SD gets here: it is left out rather than cut (a cut
            // element would not parse).
            out = Array((head + " -").utf8)
        }
        guard !message.isEmpty else { return out }
        out.append(UInt8(ascii: " "))
        out += Self.utf8Prefix(message, maximum: Self.maximumLength - out.count)
        return out
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// RFC 3339 in UTC with microseconds (RFC 5424 allows at most six fraction digits):
    /// `2026-11-30T19:26:13.123456Z`.
    public static func timestamp(_ time: Date) -> String {
        // To the nearest microsecond: a Date holds its time as a Double, so an exact .25 s
        // may come back as .2499999.
        let micros = Int64((time.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        let fraction = Int(micros - Int64(seconds) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(fraction, 6) + "Z"
    }

    /// A header field: PRINTUSASCII (33-126) only, at most `maximum` octets; other
    /// characters become `_`, and an empty field is the NILVALUE `-`.
    public static func headerField(_ value: String, maximum: Int) -> String {
        let cleaned = value.unicodeScalars.prefix(maximum).map { (33...126).contains($0.value) ? Character($0) : "_" }
        return cleaned.isEmpty ? "-" : String(cleaned)
    }

    /// The longest prefix of `text` in at most `maximum` UTF-8 octets that ends on a
    /// character (a cut never leaves half a character for the collector to choke on).
    static func utf8Prefix(_ text: String, maximum: Int) -> [UInt8] {
        var out: [UInt8] = []
        for character in text {
            let encoded = Array(String(character).utf8)
            guard out.count + encoded.count <= maximum else { break }
            out += encoded
        }
        return out
    }
}
