import CommandEngine
import Console

/// `show logging` and `clear logging`.
extension VMreadySwitch {
    enum LoggingCommands {}
}

extension VMreadySwitch.LoggingCommands {
    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on(.showLogging) { args, ctx in
            var events = sw.eventLog.events()
            if let count = args.count { events = Array(events.suffix(count)) }
            let dropped = sw.eventLog.totalLogged - sw.eventLog.events().count
            ctx.print("Log buffer: \(sw.eventLog.capacity) events, \(sw.eventLog.totalLogged) logged since boot"
                      + (dropped > 0 ? ", \(dropped) no longer kept" : ""))
            ctx.print(lines: events.map(EventLog.format))
        }
        t.on(.loggingClear) { _, _ in sw.eventLog.clear() }
        return t
    }
}
