import CommandEngine
import Console
import Foundation
import RunningConfig

/// A startup-config line that failed when it was replayed.
public struct BootLogEntry: Sendable, Hashable {
    public let line: Int
    public let text: String
    public let error: LineError
}

/// What the last replay of a startup-config did (`show boot-log`).
public struct BootReport: Sendable, Hashable {
    /// Where the configuration came from (a file path, `flash`).
    public let source: String
    public let lineCount: Int
    public let failures: [BootLogEntry]

    /// The one line the console prints when something failed; nil when all went well.
    public var summary: String? {
        failures.isEmpty ? nil
            : "% Startup-config (\(source)): \(failures.count) of \(lineCount) lines failed; see 'show boot-log'"
    }
}

extension VMreadySwitch {
    /// Replays a configuration text line by line in global config, as at boot: a failing
    /// line is recorded with its number and error and the replay goes on.
    @discardableResult
    public func replay(_ text: String, source: String, recordBootLog: Bool = true) -> BootReport {
        var failures: [BootLogEntry] = []
        replaysInProgress.withLock { $0 += 1 }
        defer {
            replaysInProgress.withLock { $0 -= 1 }
            // Every handler validated its change; the whole result goes to the engine at once.
            state.withLock { s in try? publish(&s) }
        }
        // CRLF endings and a byte-order mark, from whatever editor wrote the file.
        var lines = ConfigFileText.normalized(text).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if lines.last == "" { lines.removeLast() }
        if let shell = try? shell(kind: .batch) {
            for (index, line) in lines.enumerated() {
                // The header `show running-config` prints is a title, not a command.
                if index == 0 && line == RunningConfigRenderer.header { continue }
                // Every line runs in global config or below, even after an `end`.
                if !shell.session.inConfig { _ = shell.run("configure terminal") }
                let outcome = shell.run(line)
                // The log shows the line as history keeps it: a secret in it stays masked.
                if let error = outcome.error {
                    failures.append(BootLogEntry(line: index + 1, text: outcome.historyLine ?? line, error: error))
                }
            }
        }
        let report = BootReport(source: source, lineCount: lines.count, failures: failures)
        if recordBootLog { bootReport.withLock { $0 = report } }
        return report
    }

    /// Boots: replays the `--startup-config` file when one is given, else what flash
    /// holds (or still lets the switch read when it is unusable). `reload` boots from the
    /// same source again.
    public func boot(startupConfigFile path: String?) throws(SwitchStartError) -> BootReport? {
        guard let path else { return flashSlot.startupConfigForBoot().map { replay($0, source: "flash") } }
        let data: Data
        switch InputFiles.data(path) {
        case .success(let bytes): data = bytes
        case .failure(let error): throw SwitchStartError(error.description)
        }
        bootFile.withLock { $0 = path }
        return replay(ConfigFileText.decode(data), source: path)
    }
}

/// `version` (a saved configuration's first line) and `show boot-log`.
enum BootCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.systemVersion) { args, _ throws(CommandFailure) in
            let text = args.version
            let parts = text.split(separator: " ")
            guard parts.count == 2, parts[0] == "vmready", let major = parts[1].split(separator: ".").first else {
                throw CommandFailure("Not a vmready configuration version: \"\(text)\"")
            }
            // Only a configuration from another major release may mean something else here.
            let ours = VMreadySwitch.version.split(separator: ".").first ?? ""
            if major != ours {
                throw CommandFailure("Configuration written by \(text); this is vmready \(VMreadySwitch.version)")
            }
        }
        t.on(.showBootLog) { _, ctx in ctx.show(BootLogReport(sw.bootReport.withLock { $0 })) }
    }
}

extension BootCommands {
    /// Show and exec commands only: nothing in the running configuration.
    static func stanzas(_: SwitchState) -> [ConfigStanza] { [] }
}
