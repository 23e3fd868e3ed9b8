import Foundation

enum TestPaths {
    /// The package root, found from this file's location.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let transcripts = packageRoot.appending(path: "Tests/Transcripts")
}
