import Foundation
import TestSupport

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
        // Output goes through files (ChildProcess.run): a large output never blocks the child.
        let environment = environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let result = try ChildProcess.run(binary.path, ["--state-dir", state.path] + arguments,
                                          stdin: stdin.map { Data($0.utf8) }, environment: environment)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}
