import CommandEngine
import Foundation
import Testing

/// Manuals/command-reference.md is generated from Grammar/ and must match it.
/// `make manuals` (VMREADY_UPDATE_MANUALS=1) rewrites it.
@Suite struct ReferenceManualTests {
    @Test func referenceMatchesGrammar() throws {
        let engine = try CorpusTests.engine(files: try CorpusTests.grammarFiles(in: CorpusTests.grammarDirectory))
        let schemas = CorpusTests.grammarDirectory.deletingLastPathComponent().appending(path: "Schemas")
        let generated = engine.referenceMarkdown(jsonFields: try JSONSchemaFields.load(from: schemas)) + "\n"
        let url = CorpusTests.grammarDirectory.deletingLastPathComponent().appending(path: "Manuals/command-reference.md")
        if ProcessInfo.processInfo.environment["VMREADY_UPDATE_MANUALS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == generated, "Manuals/command-reference.md is stale: run `make manuals`")
        // Every action's command appears in the reference.
        for c in engine.commands {
            #expect(committed.contains(c.syntax.split(separator: " ").first.map(String.init) ?? "?"))
        }
    }
}
