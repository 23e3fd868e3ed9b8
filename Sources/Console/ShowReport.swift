import Foundation

/// What a show command produces: one value that renders both as the text an operator
/// reads and as the JSON a script reads (`show ... | json`). Both come from the same
/// stored values, so the two can never disagree, and JSON is never made by parsing text.
///
/// Conforming types keep their fields in lowerCamelCase (the JSON keys), numbers as
/// numbers, MACs as `MACAddress`, times as `Date` (RFC 3339 in JSON). Each command's
/// JSON has a schema in `Schemas/ACTION.schema.json`, checked by the tests.
public protocol ShowReport: Encodable {
    /// The command's text output.
    var lines: [String] { get }
}

/// How a show command's output is wanted.
public enum OutputFormat: Sendable, Equatable {
    case text
    /// `| json` (one line) or `| json-pretty` (indented).
    case json(pretty: Bool)
}

extension CommandContext {
    /// Prints `report` as text, or keeps it as the JSON document for `| json`.
    public func show(_ report: some ShowReport) {
        switch format {
        case .text: print(lines: report.lines)
        case .json(let pretty): jsonDocument = ShowJSON.encode(report, pretty: pretty)
        }
    }
}

/// The one JSON encoding of every show command.
public enum ShowJSON {
    public static func encode(_ value: some Encodable, pretty: Bool) -> Result<String, CommandFailure> {
        let encoder = JSONEncoder()
        // Sorted keys: the same state always gives the same bytes, so scripts can diff.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            let compact = String(decoding: try encoder.encode(value), as: UTF8.self)
            return .success(pretty ? JSONIndenter.indent(compact) : compact)
        } catch {
            return .failure(CommandFailure("Cannot encode the output as JSON: \(error)"))
        }
    }
}
