import CommandEngine
import Configuration
import Console

/// `interface port LIST` and the per-port settings that exist so far.
extension VMreadySwitch {
    enum InterfaceCommands {}
}

extension VMreadySwitch.InterfaceCommands {
    static let maxDescriptionLength = 64

    static func table(_ sw: VMreadySwitch) -> HandlerTable {
        var t = HandlerTable()
        t.on("interface.enter") { ctx throws(CommandFailure) in
            let ports = ctx.arguments.ports("ports") ?? []
            if let bad = ports.first(where: { $0 > sw.portCount }) {
                throw CommandFailure("Port \(bad) does not exist (ports are 1-\(sw.portCount))")
            }
        }
        t.on("interface.description") { ctx throws(CommandFailure) in
            let text = ctx.arguments.text("text") ?? ""
            guard (1...maxDescriptionLength).contains(text.count) else {
                throw CommandFailure("Description must be 1-\(maxDescriptionLength) characters")
            }
            update(sw, ctx) { $0.description = text }
        }
        t.on("interface.description.clear") { ctx in update(sw, ctx) { $0.description = nil } }
        t.on("interface.shutdown") { ctx in update(sw, ctx) { $0.shutdown = true } }
        t.on("interface.no-shutdown") { ctx in update(sw, ctx) { $0.shutdown = false } }
        return t
    }

    /// Applies a change to every port of the `interface port LIST` the session is in.
    private static func update(_ sw: VMreadySwitch, _ ctx: CommandContext, _ change: (inout PortSettings) -> Void) {
        let ports = ctx.modeArguments.ports("ports") ?? []
        sw.state.withLock { s in
            for p in ports where p >= 1 && p <= s.ports.count { change(&s.ports[p - 1]) }
        }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        s.ports.enumerated().compactMap { i, p in
            var body: [String] = []
            if let d = p.description { body.append("description " + ConfigText.quoted(d)) }
            if p.shutdown { body.append("shutdown") }
            guard !body.isEmpty else { return nil }
            return ConfigStanza(section: .interfaces, key: i + 1, header: "interface port \(i + 1)", body: body)
        }
    }
}
