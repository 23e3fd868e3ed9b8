import CommandEngine
import Console
import Dataplane
import Flash
import Foundation
import RunningConfig

/// Saving to flash, the archive, export and import, `configure replace`, `reload`.
extension VMreadySwitch {
    /// The running configuration as the text that is saved and replayed.
    public func runningConfigText() -> String { runningConfig().joined(separator: "\n") + "\n" }

    /// The flash, or why there is none. Flash that was unusable is opened again here,
    /// so it works from the first command after the fault is fixed.
    func requireFlash() throws(CommandFailure) -> FlashStore {
        let (store, reopened) = try flashSlot.current()
        if let reopened { eventLog.log(.notice, "flash", reopened) }
        return store
    }

    /// Back to the default configuration (ports up in VLAN 1, no VLANs, default MAC table),
    /// published to the forwarding engine.
    func resetConfiguration() {
        state.withLock { s in
            guard let bridge = try? BridgeConfiguration(portCount: portCount) else { return }
            s = SwitchState(bridge: bridge)
            try? publish(&s)
        }
        _ = dataplane.clearDynamicMACEntries()
    }

    /// `reload`: the running configuration becomes the startup-config (or the default),
    /// from the source the switch booted from: the `--startup-config` file, else flash.
    /// Nothing changes when that source cannot be read.
    public func reload() throws(CommandFailure) -> BootReport? {
        let text: String?, source: String
        if let path = bootFile.withLock({ $0 }) {
            guard case .success(let data) = InputFiles.data(path) else {
                throw CommandFailure("Cannot read \(path), the startup-config the switch booted from; nothing was reloaded")
            }
            (text, source) = (ConfigFileText.decode(data), path)
        } else {
            let flash = try requireFlash()
            text = try flashResult { () throws(FlashError) in try flash.startupConfig() }
            source = "flash"
        }
        resetConfiguration()
        return text.map { replay($0, source: source) }
    }
}

/// Runs a flash operation, turning its failure into the CLI's `% ...` message: the
/// error's own `flash: ...` line, capitalized (not prefixed a second time).
func flashResult<T>(_ body: () throws(FlashError) -> T) throws(CommandFailure) -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure(error.description.capitalizedFirst)
    }
}

enum FlashCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.flashSave) { args, ctx throws(CommandFailure) in
            let flash = try sw.requireFlash()
            let text = sw.runningConfigText()
            let comment = args.comment
            try flashResult { () throws(FlashError) in
                try flash.save(text, by: ctx.session.name, comment: comment)
            }
            ctx.print("Configuration saved.")
        }
        t.on(.flashShow) { _, ctx throws(CommandFailure) in
            let flash = try sw.requireFlash()
            guard let text = try flashResult({ () throws(FlashError) in try flash.startupConfig() }) else {
                throw CommandFailure("No startup-config in flash")
            }
            ctx.show(ConfigurationReport(lines(text)))
        }
        t.on(.flashErase) { _, _ throws(CommandFailure) in
            let flash = try sw.requireFlash()
            try flashResult { () throws(FlashError) in try flash.erase() }
        }
        t.on(.flashArchive) { _, ctx throws(CommandFailure) in
            let flash = try sw.requireFlash()
            let entries = try flashResult { () throws(FlashError) in try flash.archive() }
            ctx.show(ArchiveReport(entries))
        }
        t.on(.flashArchiveEntry) { args, ctx throws(CommandFailure) in
            ctx.show(ConfigurationReport(lines(try archived(sw, args.number).text)))
        }
        t.on(.flashReplace) { args, ctx throws(CommandFailure) in
            let number = args.number
            let entry = try archived(sw, number)
            let previous = sw.runningConfigText()
            sw.resetConfiguration()
            let report = sw.replay(entry.text, source: "archive \(number)", recordBootLog: false)
            if let first = report.failures.first {
                // All or nothing: put the previous configuration back exactly as it was.
                sw.resetConfiguration()
                sw.replay(previous, source: "running-config", recordBootLog: false)
                throw CommandFailure("Archive \(number) line \(first.line) (\(first.text.trimmingCharacters(in: .whitespaces))): "
                                     + "\(first.error.message.dropFirst(2)); the running configuration is unchanged")
            }
            ctx.session.endConfig()
        }
        t.on(.flashExport) { args, _ throws(CommandFailure) in
            let flash = try sw.requireFlash()
            let files = try sw.operatorFiles()
            let name = args.path
            try files.check(name)
            guard let text = try flashResult({ () throws(FlashError) in try flash.startupConfig() }) else {
                throw CommandFailure("No startup-config in flash")
            }
            try files.write(Data(text.utf8), to: name, replacing: args.force)
        }
        t.on(.flashImport) { args, ctx throws(CommandFailure) in
            let flash = try sw.requireFlash()
            let files = try sw.operatorFiles()
            let name = args.path
            let text = ConfigFileText.decode(try files.read(name))
            let existing = try flashResult { () throws(FlashError) in try flash.startupConfig() }
            if existing != nil && !args.force {
                throw CommandFailure("Flash holds a startup-config; add 'force' to replace it")
            }
            // A file that would not boot cleanly never reaches flash: try it on a scratch switch.
            let scratch: VMreadySwitch
            do { scratch = try VMreadySwitch(portCount: sw.portCount) } catch { throw CommandFailure("\(error)") }
            if let first = scratch.replay(text, source: name, recordBootLog: false).failures.first {
                throw CommandFailure("\(files.path(name)) line \(first.line): \(first.error.message.dropFirst(2)); flash is unchanged")
            }
            // The text goes into flash as it is, without the handler that hashes a
            // secret: a clear-text `enable secret` is hashed here, before it is stored.
            guard let stored = EnableSecret.hashingClearSecrets(in: text, engine: sw.engine) else {
                throw CommandFailure("Cannot hash the enable secret; flash is unchanged")
            }
            try flashResult { () throws(FlashError) in
                try flash.save(stored, by: ctx.session.name, comment: "imported from file \(name)")
            }
            ctx.print("Configuration saved.")
        }
        t.on(.systemReload) { args, ctx throws(CommandFailure) in
            if !args.force && !ctx.confirm("Proceed with reload? [confirm]") {
                throw CommandFailure("Reload cancelled")
            }
            let report = try sw.reload()
            ctx.session.endConfig()
            ctx.print(report?.summary ?? "Reloaded from \(report?.source ?? "the default configuration").")
        }
    }

    private static func archived(_ sw: VMreadySwitch, _ number: Int) throws(CommandFailure) -> ArchiveEntry {
        let flash = try sw.requireFlash()
        guard let entry = try flashResult({ () throws(FlashError) in try flash.archived(number) }) else {
            throw CommandFailure("No archive entry \(number)")
        }
        return entry
    }

    /// Saved text as lines. Flash written by an older version (or by hand) may hold control
    /// characters the engine now refuses: `ConfigurationReport` shows them by name, never raw.
    private static func lines(_ text: String) -> [String] {
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if l.last == "" { l.removeLast() }
        return l
    }
}

extension FlashCommands {
    /// Show and exec commands only: nothing in the running configuration.
    static func stanzas(_: SwitchState) -> [ConfigStanza] { [] }
}
