import CommandEngine

/// `| include`, `| exclude`, `| begin`, `| count`: the output modifiers after show commands.
/// `| json` and `| json-pretty` are not filters of the text: the command renders its
/// report as JSON instead (`CommandContext.show`).
enum OutputFilter {
    typealias Handler = @Sendable ([String], Arguments) throws(CommandFailure) -> [String]

    static let json = "filter.json"
    static let jsonPretty = "filter.json-pretty"
    static var formatActions: Set<String> { [json, jsonPretty] }

    static let handlers: [String: Handler] = [
        "filter.include": { lines, args throws(CommandFailure) in
            let r = try regex(args)
            return lines.filter { $0.contains(r) }
        },
        "filter.exclude": { lines, args throws(CommandFailure) in
            let r = try regex(args)
            return lines.filter { !$0.contains(r) }
        },
        "filter.begin": { lines, args throws(CommandFailure) in
            let r = try regex(args)
            guard let first = lines.firstIndex(where: { $0.contains(r) }) else { return [] }
            return Array(lines[first...])
        },
        "filter.count": { lines, _ in
            ["Command output lines: \(lines.count)"]
        },
    ]

    static func apply(_ filter: MatchedFilter, to lines: [String]) throws(CommandFailure) -> [String] {
        guard let h = handlers[filter.action] else { throw CommandFailure("No output modifier '\(filter.action)'") }
        return try h(lines, filter.arguments)
    }

    private static func regex(_ args: Arguments) throws(CommandFailure) -> Regex<AnyRegexOutput> {
        let pattern = args.text("regex") ?? ""
        do {
            return try Regex(pattern)
        } catch {
            throw CommandFailure("Invalid regular expression: \(pattern)")
        }
    }
}
