import Console
import Foundation
import Switch
import Testing

/// Golden transcripts: `Tests/Transcripts/*.txt` hold the lines typed (after their prompt)
/// and the exact output. Each runs through a batch session in echo mode on a fresh switch
/// and must come out byte for byte; a failure prints a diff. Lines starting with `;;` at the
/// top describe the transcript and are not part of it.
/// `VMREADY_UPDATE_TRANSCRIPTS=1` rewrites the files from the actual output.
@Suite struct TranscriptTests {
    static var promptPattern: Regex<(Substring, Substring?)> { /^[A-Za-z0-9._-]+(\([a-z-]+\))?[>#]/ }

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.transcripts.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }

    @Test func transcriptsExist() {
        #expect(Self.files.count >= 4)
    }

    @Test(arguments: files)
    func transcript(_ name: String) throws {
        let url = TestPaths.transcripts.appending(path: name)
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines.prefix { $0.hasPrefix(";;") }
        let body = lines.dropFirst(header.count)
        let inputs = body.compactMap { line -> String? in
            guard let m = line.prefixMatch(of: Self.promptPattern) else { return nil }
            return String(line[m.range.upperBound...])
        }
        #expect(!inputs.isEmpty, "\(name) has no input lines")

        let sw = try VMreadySwitch()
        let capture = Capture()
        let batch = BatchSession(shell: try sw.shell(kind: .batch), options: BatchOptions(echo: true),
                                 stdout: capture.output, stderr: capture.output)
        _ = batch.run(lines: inputs)
        let expected = body.joined(separator: "\n") + "\n"
        let actual = capture.text
        if actual != expected {
            if ProcessInfo.processInfo.environment["VMREADY_UPDATE_TRANSCRIPTS"] == "1" {
                try (header.map { $0 + "\n" }.joined() + actual).write(to: url, atomically: true, encoding: .utf8)
            }
            Issue.record("transcript \(name) differs:\n\(Self.diff(expected: expected, actual: actual))")
        }
    }

    static func diff(expected: String, actual: String) -> String {
        let dir = FileManager.default.temporaryDirectory
        let a = dir.appending(path: "expected-\(UUID().uuidString)"), b = dir.appending(path: "actual-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        try? expected.write(to: a, atomically: true, encoding: .utf8)
        try? actual.write(to: b, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        p.arguments = ["-u", "--label", "expected", "--label", "actual", a.path, b.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        do { try p.run() } catch { return "(diff unavailable)\n--- expected\n\(expected)\n--- actual\n\(actual)" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
