import CommandEngine
import Console
import Foundation
import RunningConfig

/// Hostname, version and the running configuration.
enum SystemCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.systemHostname) { args, _ throws(CommandFailure) in
            let name = args.name
            guard (1...63).contains(name.count),
                  name.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\"" && !$0.isASCIIControl }) else {
                throw CommandFailure("Hostname must be 1-63 printable characters without spaces or quotes")
            }
            // Through `configure`: LLDP advertises the hostname as its System Name.
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.hostname = name }
        }
        t.on(.systemHostnameDefault) { _, _ throws(CommandFailure) in
            try sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.hostname = SwitchState.defaultHostname }
        }
        t.on(.showVersion) { _, ctx in
            ctx.show(VersionReport(version: VMreadySwitch.version, hostname: sw.hostname, ports: sw.portCount,
                                   bootTime: sw.bootTime, uptimeSeconds: Int(Date().timeIntervalSince(sw.bootTime))))
        }
        t.on(.showRunningConfig) { _, ctx in ctx.show(ConfigurationReport(sw.runningConfig())) }
    }

    static func stanzas(_ s: SwitchState) -> [ConfigStanza] {
        guard s.hostname != SwitchState.defaultHostname else { return [] }
        return [ConfigStanza(section: .system, line: "hostname " + ConfigText.quoted(s.hostname))]
    }
}

extension Character {
    var isASCIIControl: Bool { isASCII && (asciiValue ?? 0) < 0x20 || asciiValue == 0x7f }
}
