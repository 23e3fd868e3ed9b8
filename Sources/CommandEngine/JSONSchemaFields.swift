import Foundation

/// One field of a show command's JSON output, as the command reference lists it: read from
/// the command's JSON Schema (`Schemas/ACTION.schema.json`), so the reference, the schema
/// and the validated output can never disagree.
public struct JSONField: Sendable, Hashable {
    /// `vms[].mac`: arrays are marked `[]`.
    public let path: String
    /// `string`, `integer`, `boolean`, `array`, `object`, with `mac`, `time`, ... for the
    /// shared definitions.
    public let type: String
    public let optional: Bool
    public let description: String
}

public enum JSONSchemaFields {
    /// The fields of every schema in `directory`, by action (the file name without
    /// `.schema.json`); `common.schema.json` supplies the shared definitions.
    public static func load(from directory: URL) throws -> [String: [JSONField]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".schema.json") }
        let common = try object(directory.appending(path: "common.schema.json"))["$defs"] as? [String: Any] ?? [:]
        var out: [String: [JSONField]] = [:]
        for file in files where file != "common.schema.json" {
            let schema = try object(directory.appending(path: file))
            var reader = Reader(common: common, local: schema["$defs"] as? [String: Any] ?? [:])
            reader.walk(schema, path: "", optional: false, note: nil)
            out[String(file.dropLast(".schema.json".count))] = reader.fields
        }
        return out
    }

    private static func object(_ url: URL) throws -> [String: Any] {
        guard let value = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return value
    }

    private struct Reader {
        let common: [String: Any]
        let local: [String: Any]
        var fields: [JSONField] = []
        var expanding: Set<String> = []

        init(common: [String: Any], local: [String: Any]) {
            self.common = common
            self.local = local
        }

        /// The definition a `$ref` names, and a short name for its type.
        func resolve(_ ref: String) -> (String, [String: Any])? {
            let name = String(ref.split(separator: "/").last ?? "")
            if ref.hasPrefix("common.schema.json#"), let d = common[name] as? [String: Any] { return (name, d) }
            if ref.hasPrefix("#/$defs/"), let d = local[name] as? [String: Any] { return (name, d) }
            return nil
        }

        /// Lists `schema` at `path` (unless `listed` is false: an array's items are listed as
        /// their fields, `vms[].mac`), then its fields.
        mutating func walk(_ schema: [String: Any], path: String, optional: Bool, note: String?, listed: Bool = true) {
            if let alternatives = schema["oneOf"] as? [[String: Any]] {
                for a in alternatives { walk(a, path: path, optional: optional, note: a["title"] as? String, listed: listed) }
                return
            }
            var schema = schema
            var definitionName: String?
            if let ref = schema["$ref"] as? String, let (name, definition) = resolve(ref) {
                // A recursive definition (a configuration's subcommands) is listed once.
                if ref.hasPrefix("#"), expanding.contains(name) {
                    if listed { add(path, "\(name), as above", optional, schema["description"] as? String, note) }
                    return
                }
                if ref.hasPrefix("#") { expanding.insert(name) }
                definitionName = name
                schema = definition.merging(schema) { _, own in own }
            }
            defer { if let name = definitionName { expanding.remove(name) } }
            let type = schema["type"] as? String ?? "value"
            if listed && !path.isEmpty {
                var shown = definitionName.map { type == "object" ? $0 : "\(type) (\($0))" } ?? type
                if let values = schema["enum"] as? [String] { shown = "one of " + values.map { "`\($0)`" }.joined(separator: ", ") }
                add(path, shown, optional, schema["description"] as? String, note)
            }
            switch type {
            case "object":
                let required = Set(schema["required"] as? [String] ?? [])
                for (name, value) in (schema["properties"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    guard let property = value as? [String: Any] else { continue }
                    walk(property, path: path.isEmpty ? name : path + "." + name, optional: !required.contains(name), note: note)
                }
            case "array":
                if let items = schema["items"] as? [String: Any] { walk(items, path: path + "[]", optional: false, note: note, listed: false) }
            default: break
            }
        }

        mutating func add(_ path: String, _ type: String, _ optional: Bool, _ description: String?, _ note: String?) {
            fields.append(JSONField(path: path, type: type, optional: optional,
                                    description: (description ?? "") + (note.map { " (`\($0)`)" } ?? "")))
        }
    }
}
