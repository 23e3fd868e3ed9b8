import CommandEngine
import Console
import Foundation
import Switch
import Testing
import TestSupport

/// `show ... | json` checked against `Schemas/ACTION.schema.json` with python3-jsonschema,
/// a maintained validator (draft 2020-12, formats checked).
enum ShowJSONCheck {
    struct Document: Encodable {
        let action: String
        let line: String
        let document: String
    }

    /// The show command `line` (as typed, `do show ...` in configuration modes) is run
    /// with `| json` in `shell`; nil when the line is not a show command without a filter,
    /// or one that fails.
    static func run(_ line: String, in shell: Shell) -> Document? {
        guard let show = showLine(line),
              case .command(let command) = shell.engine.parse(show, in: shell.session.mode),
              command.filter == nil else { return nil }
        // A show that fails as text (`show vlan 300` of a VLAN that does not exist) fails
        // alike with `| json`; only what it prints is checked.
        guard shell.run(show).succeeded else { return nil }
        let outcome = shell.run(show + " | json")
        return Document(action: command.action, line: show,
                        document: outcome.error.map { "error: " + $0.message } ?? outcome.output.joined(separator: "\n"))
    }

    /// `show ...` from a typed line: `do ` dropped; nil for anything else or a line with `?`.
    static func showLine(_ line: String) -> String? {
        var text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("do ") { text = String(text.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
        guard text.hasPrefix("show "), !text.contains("?") else { return nil }
        return text
    }

    /// The validator's complaints, one per line; empty when every document is valid.
    static func validate(_ documents: [Document]) throws -> [String] {
        guard !documents.isEmpty else { return [] }
        let encoder = JSONEncoder()
        var lines = Data()
        for d in documents { lines.append(try encoder.encode(d)); lines.append(0x0a) }
        let result = try ChildProcess.run("/usr/bin/python3",
                                          [TestPaths.packageRoot.appending(path: "Tests/JSONSchema/validate.py").path,
                                           TestPaths.packageRoot.appending(path: "Schemas").path], stdin: lines)
        let complaints = (result.stdout + result.stderr).split(separator: "\n").map(String.init)
        if result.status != 0 && complaints.isEmpty { return ["validator exited \(result.status)"] }
        return complaints
    }
}

/// Every show command has a schema, and some transcript runs it, so its JSON is validated.
@Suite struct ShowJSONCoverageTests {
    @Test func everyShowCommandHasASchemaAndIsValidatedByATranscript() throws {
        let sw = try VMreadySwitch()
        let shows = Set(sw.engine.samples().filter { $0.line.hasPrefix("show ") }.map(\.action))
        #expect(shows.count >= 30)
        let privileged = try #require(sw.engine.mode(named: "privileged-exec"))
        var exercised = Set<String>()
        for name in TranscriptTests.files {
            let text = try String(contentsOf: TestPaths.transcripts.appending(path: name), encoding: .utf8)
            for raw in text.split(separator: "\n") {
                guard let m = raw.prefixMatch(of: TranscriptTests.promptPattern),
                      let show = ShowJSONCheck.showLine(String(raw[m.range.upperBound...])),
                      case .command(let c) = sw.engine.parse(show, in: privileged) else { continue }
                exercised.insert(c.action)
            }
        }
        // Validated where what they show exists: a real PostgreSQL behind the switch
        // (PolicyDBSwitchTests); flash, its archive and a boot replay (FlashJSONTests).
        exercised.formUnion(["show.virt.dc.vm", "flash.show", "flash.archive", "flash.archive.entry", "show.boot-log", "show.virt.oui"])
        let missingSchema = shows.filter {
            !FileManager.default.fileExists(atPath: TestPaths.packageRoot.appending(path: "Schemas/\($0).schema.json").path)
        }
        #expect(missingSchema.isEmpty, "show commands without a schema: \(missingSchema.sorted())")
        #expect(shows.subtracting(exercised).isEmpty, "show commands no transcript runs: \(shows.subtracting(exercised).sorted())")
    }
}
