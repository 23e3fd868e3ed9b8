import Foundation
import TestSupport

struct TortureFailure: Error, CustomStringConvertible {
    let description: String
}

/// One run of the `flash-torture` binary, started with posix_spawn.
///
/// posix_spawn rather than Foundation's Process: the test runner's threads block some
/// signals and a child inherits that mask, so the child is started with an empty mask
/// and default handlers. Output goes to a file, not a pipe, so reading it after a
/// SIGKILL needs no draining and a full pipe can never stall the child.
struct TortureProcess {
    let pid: pid_t
    let outputPath: String

    /// The binary sits in the build products directory next to the test bundle.
    static func binary() throws -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("flash-torture").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw TortureFailure(description: "flash-torture not found near \(CommandLine.arguments[0])")
    }

    static func start(_ arguments: [String], outputPath: String) throws -> TortureProcess {
        let executable = try binary()
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(executable, arguments, stdoutPath: outputPath, stderrPath: outputPath + ".err")
        } catch {
            throw TortureFailure(description: error.description)
        }
        return TortureProcess(pid: pid, outputPath: outputPath)
    }

    /// SIGKILLs the process (if it is still running) and reaps it. Returns true when it
    /// had already exited with status 0, i.e. finished all its saves before the kill.
    func kill() -> Bool {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            return status & 0xFFFF == 0
        }
        Foundation.kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited normally with 0 between the check and the kill (WIFEXITED, WEXITSTATUS).
        return status & 0xFFFF == 0
    }

    /// The K values reported so far (complete lines only: a kill can cut a write short).
    func reported() -> [Int] {
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { Int($0) }
    }

    func errors() -> String {
        (try? String(contentsOfFile: outputPath + ".err", encoding: .utf8)) ?? ""
    }
}
