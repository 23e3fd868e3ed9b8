import Foundation

/// Runs the built `vmready` binary with arguments and optional stdin; returns status and output.
enum BinaryRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The binary sits in the same build products directory as the test bundle.
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["VMREADY_BIN"] { return URL(fileURLWithPath: override) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appending(path: "vmready")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/vmready")
    }

    /// Runs the binary on a fresh state directory, or on `stateDirectory` when given (kept;
    /// created first unless `createState` is false, to see the switch create it).
    /// `environment`: variables set (or replaced) for the child.
    static func run(_ arguments: [String], stdin: String? = nil, stateDirectory: URL? = nil,
                    createState: Bool = true, environment: [String: String] = [:]) throws -> Result {
        let state = stateDirectory ?? FileManager.default.temporaryDirectory.appending(path: "vmready-state-\(UUID().uuidString)")
        defer { if stateDirectory == nil { try? FileManager.default.removeItem(at: state) } }
        if createState { try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true) }
        // Output goes to files, so a large output can never block the child on a full pipe;
        // outside the state directory, which may be full or read-only.
        let outURL = FileManager.default.temporaryDirectory.appending(path: "vmready-run-\(UUID().uuidString)-stdout")
        let errURL = FileManager.default.temporaryDirectory.appending(path: "vmready-run-\(UUID().uuidString)-stderr")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let p = Process()
        p.executableURL = binary
        p.arguments = ["--state-dir", state.path] + arguments
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let input = Pipe()
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
