import CommandEngine
import Foundation
import Testing

/// Runs the engine corpora: per line and mode, the expected parse, describe (`?`) or
/// complete (TAB) result. One failing case names its file and line.
@Suite struct CorpusTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Corpus")
    static let grammarDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appending(path: "Grammar")

    static func engine(files urls: [URL]) throws -> CommandEngine {
        try CommandEngine(files: urls.map { (name: $0.lastPathComponent, text: try String(contentsOf: $0, encoding: .utf8)) })
    }

    static func grammarFiles(in dir: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "grammar" }.sorted { $0.path < $1.path }
    }

    @Test func typesCorpus() throws {
        let engine = try Self.engine(files: [Self.directory.appending(path: "types.grammar")])
        try run(corpus: "types.corpus", engine: engine)
    }

    @Test func productGrammarCorpus() throws {
        let engine = try Self.engine(files: try Self.grammarFiles(in: Self.grammarDirectory))
        try run(corpus: "product.corpus", engine: engine)
    }

    func run(corpus: String, engine: CommandEngine) throws {
        let text = try String(contentsOf: Self.directory.appending(path: corpus), encoding: .utf8)
        var cases = 0
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":"), let arrow = line.firstRange(of: "  →  ") else {
                Issue.record("\(corpus):\(n + 1): malformed case")
                continue
            }
            let modeName = String(line[..<colon])
            var input = String(line[line.index(colon, offsetBy: 2)..<arrow.lowerBound])
            let expected = String(line[arrow.upperBound...])
            guard let mode = engine.mode(named: modeName) else {
                Issue.record("\(corpus):\(n + 1): unknown mode \(modeName)")
                continue
            }
            let actual: String
            if input.hasSuffix("?") {
                input.removeLast()
                actual = Self.render(engine.describe(input, in: mode))
            } else if input.hasSuffix("<TAB>") {
                input.removeLast(5)
                let c = engine.complete(input, in: mode)
                actual = c.candidates.isEmpty ? "(none)" : c.candidates.joined(separator: ", ")
            } else {
                actual = Self.render(engine.parse(input, in: mode), typedIn: mode, engine)
            }
            #expect(actual == expected, "\(corpus):\(n + 1): \(modeName): '\(input)'")
            cases += 1
        }
        #expect(cases > 0)
    }

    static func render(_ r: ParseResult, typedIn mode: ModeID, _ engine: CommandEngine) -> String {
        switch r {
        case .empty: return "empty"
        case .comment: return "comment"
        case .failure(let e): return render(e)
        case .command(let c):
            var s = c.action + args(c.arguments)
            // The matched mode is shown only when it is not the one the line was typed in.
            if c.mode != mode { s += " @" + engine.info(c.mode).name }
            if c.viaDo { s += " do" }
            if let e = c.enters { s += " => " + engine.info(e).name }
            if let f = c.filter { s += " | " + f.action + args(f.arguments) }
            return s
        }
    }

    static func render(_ e: ParseError) -> String {
        switch e {
        case .invalid(let column): return "invalid@\(column)"
        case .incomplete: return "incomplete"
        case .ambiguous(let text, _): return "ambiguous \"\(text)\""
        case .controlCharacter(let name, let column): return "control \(name)@\(column)"
        }
    }

    static func render(_ h: HelpResult) -> String {
        switch h {
        case .next(let entries): return entries.map(\.token).joined(separator: ", ")
        case .words(let words): return "words: " + words.joined(separator: ", ")
        case .failure(let e): return render(e)
        }
    }

    static func args(_ a: Arguments) -> String {
        a.values.keys.sorted().map { " \($0)=\(a.values[$0]?.text ?? "")" }.joined()
    }
}
