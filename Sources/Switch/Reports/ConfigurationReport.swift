import CommandEngine
import Console
import RunningConfig

/// `show running-config`, `show startup-config`, `show archive N`: a configuration's lines
/// as text, and in JSON its commands as a tree (a mode's commands under the command that
/// enters it, by their indentation), as EOS gives `show running-config | json`.
struct ConfigurationReport: ShowReport {
    struct Command: Encodable {
        var command: String
        /// The commands in the mode this one enters; absent for a plain command.
        var subcommands: [Command]?
    }

    var commands: [Command]
    private var text: [String]

    enum CodingKeys: String, CodingKey { case commands }

    /// `lines` as the configuration holds them (control characters in a damaged file
    /// are shown visibly in the text).
    init(_ lines: [String]) {
        text = lines.map(ControlCharacters.visible)
        // `!` separators, the `Current configuration:` header and `end` are not commands,
        // nor is the `exit` that closes a mode: the tree says where a mode ends.
        let entries = lines.compactMap { line -> (depth: Int, command: String)? in
            let command = line.trimmingCharacters(in: .whitespaces)
            let depth = line.prefix { $0 == " " }.count
            guard !command.isEmpty, !command.hasPrefix("!"), command != "end", !(depth > 0 && command == "exit"),
                  line != RunningConfigRenderer.header else { return nil }
            return (depth, command)
        }
        var index = 0
        commands = Self.tree(entries, at: &index, deeperThan: -1)
    }

    /// The commands from `index` on that are deeper than `depth`, each with those deeper still under it.
    private static func tree(_ entries: [(depth: Int, command: String)], at index: inout Int, deeperThan depth: Int) -> [Command] {
        var out: [Command] = []
        while index < entries.count, entries[index].depth > depth {
            let entry = entries[index]
            index += 1
            let children = tree(entries, at: &index, deeperThan: entry.depth)
            out.append(Command(command: entry.command, subcommands: children.isEmpty ? nil : children))
        }
        return out
    }

    var lines: [String] { text }
}
