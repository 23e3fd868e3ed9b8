import Console
import Flash
import Foundation

/// `show archive`: the configurations saved before, as flash lists them.
struct ArchiveReport: ShowReport {
    struct Entry: Encodable {
        var number: Int
        var saved: Date
        var bytes: Int
        /// The session that saved it (`console`, `vty 1 (admin)`, ...).
        var session: String
        var comment: String?
    }

    var archive: [Entry]

    init(_ entries: [ArchiveEntry]) {
        archive = entries.map { Entry(number: $0.number, saved: $0.time, bytes: $0.size, session: $0.session, comment: $0.comment) }
    }

    var lines: [String] {
        var out = ["No.  Saved (UTC)            Bytes  Session           Comment",
                   "---  -------------------  -------  ----------------  -------"]
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd HH:mm:ss"
        format.timeZone = TimeZone(identifier: "UTC")
        for e in archive {
            out.append(padLeft(String(e.number), 3) + "  " + format.string(from: e.saved) + "  "
                       + padLeft(String(e.bytes), 7) + "  " + pad(e.session, 16) + "  " + (e.comment ?? ""))
        }
        return out
    }
}
