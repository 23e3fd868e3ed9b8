import CommandEngine
import Console

/// `show boot-log`: what the replay of the startup-config at boot did, failed lines first.
struct BootLogReport: ShowReport {
    struct Failure: Encodable {
        var line: Int
        /// The line as it was in the file (control characters made visible in the text).
        var text: String
        var error: String
        /// Where the caret pointed in the line, when the line did not parse.
        var column: Int?
        fileprivate var lineError: LineError

        enum CodingKeys: String, CodingKey { case line, text, error, column }
    }

    /// Absent when no startup-config was replayed.
    var source: String?
    var lineCount: Int
    var failures: [Failure]

    init(_ report: BootReport?) {
        source = report?.source
        lineCount = report?.lineCount ?? 0
        failures = (report?.failures ?? []).map {
            Failure(line: $0.line, text: $0.text, error: $0.error.message, column: $0.error.caretColumn, lineError: $0.error)
        }
    }

    var lines: [String] {
        guard let source else { return ["No startup-config was replayed at boot."] }
        var out = ["Startup-config: \(source), \(lineCount) lines, \(failures.count) failed"]
        for f in failures {
            let prefix = "line \(f.line): "
            out.append(prefix + ControlCharacters.visible(f.text))
            out += f.lineError.lines(indent: prefix.count)
        }
        return out
    }
}
