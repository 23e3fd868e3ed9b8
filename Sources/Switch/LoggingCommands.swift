import CommandEngine
import Console
import RunningConfig

/// `show logging` and `clear logging`.
enum LoggingCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.showLogging) { args, ctx in
            var events = sw.eventLog.events()
            if let count = args.count { events = Array(events.suffix(count)) }
            let dropped = sw.eventLog.totalLogged - sw.eventLog.events().count
            ctx.print("Log buffer: \(sw.eventLog.capacity) events, \(sw.eventLog.totalLogged) logged since boot"
                      + (dropped > 0 ? ", \(dropped) no longer kept" : ""))
            ctx.print(lines: events.map(EventLog.format))
        }
        t.on(.loggingClear) { _, _ in sw.eventLog.clear() }
    }
}

extension LoggingCommands {
    /// Show and exec commands only: nothing in the running configuration.
    static func stanzas(_: SwitchState) -> [ConfigStanza] { [] }
}
