import CommandEngine
import Console
import Foundation
import Glibc
import RunningConfig

/// Privilege (`enable`, `disable`, `enable secret`), configuration mode entry, and the
/// lines: `show users`, `clear line`, `exec-timeout`.
extension VMreadySwitch {
    /// Idle seconds after which a connected session is logged out; nil = never.
    public var execTimeout: Double? {
        let seconds = state.withLock { $0.access.execTimeout }
        return seconds > 0 ? Double(seconds) : nil
    }

    /// A secret typed in clear never reaches history (the session's, the history file).
    public func historyText(of command: MatchedCommand) -> String? {
        command.isAction(.accessEnableSecret) ? "enable secret ********" : nil
    }

    /// How the log names a session: its line and user, else the session's own name.
    static func who(_ session: Session) -> String { session.line?.label ?? session.name }
}

enum AccessCommands: SwitchFeature {
    /// Wrong secrets a terminal may type before `enable` fails; a batch gets one try.
    static let enableTries = 3

    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.sessionEnable) { _, ctx throws(CommandFailure) in try enable(sw, ctx.session) }
        t.on(.sessionDisable) { _, ctx in
            guard ctx.session.isPrivileged else { return }
            ctx.session.setPrivileged(false)
            sw.eventLog.log(.notice, "access", "\(VMreadySwitch.who(ctx.session)) left privileged exec (level 1)")
        }
        t.on(.sessionConfigure) { _, ctx in
            // IOS warns, and allows it: changes are serialized, each line is atomic.
            for line in sw.lines.all where line !== ctx.session.line && line.inConfig {
                ctx.print("% Warning: line \(line.name) (\(line.user)) is also in configuration mode")
            }
        }
        t.on(.accessShowUsers) { _, ctx in ctx.show(UsersReport(sw, caller: ctx.session.line)) }
        t.on(.accessClearLine) { args, ctx throws(CommandFailure) in
            let number = args.line
            guard let line = sw.lines.line(number) else { throw CommandFailure("Line vty \(number) is not in use") }
            let by = VMreadySwitch.who(ctx.session)
            line.requestEnd(.cleared(by: by))
            sw.eventLog.log(.notice, "access", "\(line.label) cleared by \(by)")
        }
        t.on(.accessExecTimeout) { args, _ in
            let seconds = args.minutes * 60 + (args.seconds ?? 0)
            sw.state.withLock { $0.access.execTimeout = seconds }
            sw.lines.wakeAll() // waiting sessions apply the new limit now
        }
        t.on(.accessExecTimeoutDefault) { _, _ in
            sw.state.withLock { $0.access.execTimeout = AccessSettings.defaultExecTimeout }
            sw.lines.wakeAll()
        }
        t.on(.accessEnableSecret) { args, ctx throws(CommandFailure) in
            let secret = args.secret
            guard (1...PasswordLimits.maxLength).contains(secret.count) else {
                throw CommandFailure("The secret must be 1-\(PasswordLimits.maxLength) characters")
            }
            guard let hash = EnableSecret.hash(secret) else { throw CommandFailure("Cannot hash the secret") }
            sw.state.withLock { $0.access.enableSecretHash = hash }
            sw.eventLog.log(.notice, "access", "enable secret changed by \(VMreadySwitch.who(ctx.session))")
        }
        t.on(.accessEnableSecretHashed) { args, _ throws(CommandFailure) in
            let hash = args.hash
            guard EnableSecret.isValidHash(hash) else {
                throw CommandFailure("Not a crypt(3) hash this switch can check (e.g. \"$y$...\")")
            }
            sw.state.withLock { $0.access.enableSecretHash = hash }
        }
        t.on(.accessEnableSecretRemove) { _, ctx in
            sw.state.withLock { $0.access.enableSecretHash = nil }
            sw.eventLog.log(.notice, "access", "enable secret removed by \(VMreadySwitch.who(ctx.session))")
        }
    }

    /// `enable`: privileged exec, after the secret when one is set. Every outcome is logged.
    /// After a failure the caller's uid waits (EnableThrottle): an `enable` during the wait
    /// is refused without checking anything (a batch's secret line is still consumed, so
    /// it is never run as a command) and makes the wait longer.
    static func enable(_ sw: VMreadySwitch, _ session: Session) throws(CommandFailure) {
        guard !session.isPrivileged else { return }
        let who = VMreadySwitch.who(session)
        if let hash = sw.state.withLock({ $0.access.enableSecretHash }) {
            guard let ask = session.passwordReader else { throw CommandFailure("No way to ask for the enable secret") }
            let uid = session.line?.uid ?? getuid()
            if sw.enableThrottle.remaining(for: uid) != nil {
                if session.kind == .batch { _ = ask("Password: ") }
                let (delay, failures) = sw.enableThrottle.failed(uid)
                let seconds = EnableThrottle.seconds(delay)
                sw.repeatedEvents.log(.warning, "access", kind: "enable refused for uid \(uid) while it waits",
                                      "\(who) refused privileged exec: uid \(uid) waits \(seconds) s "
                                      + "after \(failures) failed attempts")
                throw CommandFailure("Too many bad secrets: wait \(seconds) s before the next try (an earlier "
                                     + "try doubles the wait, up to \(EnableThrottle.seconds(EnableThrottle.maximumDelay)) s)")
            }
            var accepted = false
            for _ in 0..<(session.kind == .terminal ? enableTries : 1) {
                guard let typed = ask("Password: ") else { break }
                if EnableSecret.verify(typed, against: hash) {
                    accepted = true
                    break
                }
            }
            guard accepted else {
                let (delay, _) = sw.enableThrottle.failed(uid)
                sw.eventLog.log(.warning, "access", "\(who) failed to enter privileged exec: bad secret; "
                                + "uid \(uid) waits \(EnableThrottle.seconds(delay)) s")
                throw CommandFailure("Bad secrets")
            }
            sw.enableThrottle.succeeded(uid)
        }
        session.setPrivileged(true)
        sw.eventLog.log(.notice, "access", "\(who) entered privileged exec (level 15)")
    }

    /// The `show users` table; `*` marks the caller's own line. The user column widens to
    /// the longest login name (Linux allows 32 characters), so that the columns after it
    /// stay in line.
    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        var lines: [String] = []
        if let hash = s.access.enableSecretHash { lines.append("enable secret 9 " + ConfigText.quoted(hash)) }
        let timeout = s.access.execTimeout
        if timeout != AccessSettings.defaultExecTimeout {
            lines.append("exec-timeout \(timeout / 60)" + (timeout % 60 == 0 ? "" : " \(timeout % 60)"))
        }
        return lines.isEmpty ? [] : [ConfigStanza(section: .system, key: 10, lines: lines)]
    }
}

/// The longest secret `enable secret` takes (what a password prompt reads).
enum PasswordLimits {
    static let maxLength = 128
}
