import CommandEngine
import Console
import Foundation
import Switch
import Testing

/// The running-config law: replaying `show running-config` into a fresh switch gives a
/// byte-identical `show running-config`, for random configurations that use every
/// configuration command there is.
@Suite struct RoundTripTests {
    /// Random configuration lines, valid and not, over every configuration command.
    struct ConfigGenerator {
        var rng: FuzzTests.SplitMix
        var vlans: [Int] = [1]

        mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
        mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }
        mutating func vlan() -> Int { int(0...3) == 0 ? int(1...4094) : pick(vlans) }
        mutating func ports() -> String { let a = int(1...8); return int(0...1) == 0 ? "\(a)" : "\(a)-\(int(a...8))" }
        mutating func mac() -> String { (0..<6).map { i in String(format: "%02x", i == 0 ? int(0...127) * 2 : int(0...255)) }.joined(separator: ":") }
        mutating func word() -> String { pick(["web", "db", "storage", "esx-a vmnic0", "uplink 1", "x"]) }

        mutating func lines() -> [String] {
            var out: [String] = []
            for _ in 0..<int(5...40) {
                switch int(0...17) {
                case 0: out.append(pick(["hostname rack\(int(1...99))", "no hostname"]))
                case 1, 2:
                    let v = int(2...4094)
                    vlans.append(v)
                    out += ["vlan \(v)"] + (int(0...1) == 0 ? ["name \"\(word())\""] : ["no name"]) + ["exit"]
                case 3: out.append("no vlan \(pick(vlans))")
                case 4...9:
                    out.append("interface port \(ports())")
                    for _ in 0..<int(1...4) {
                        out.append(pick([
                            "description \"\(word())\"", "no description", "shutdown", "no shutdown",
                            "switchport mode trunk", "switchport mode access", "no switchport mode",
                            "switchport access vlan \(vlan())", "no switchport access vlan",
                            "switchport trunk allowed vlan \(vlan()),\(vlan())", "no switchport trunk allowed vlan",
                            "switchport trunk native vlan \(vlan())", "no switchport trunk native vlan",
                        ]))
                    }
                    out.append("exit")
                case 10: out.append(pick(["mac-address-table aging-time \(int(0...100_000))", "no mac-address-table aging-time"]))
                case 11: out.append(pick(["mac-address-table limit \(int(1...100_000))", "no mac-address-table limit"]))
                case 12, 13: out.append("mac-address-table static \(mac()) vlan \(vlan()) port \(int(1...9))")
                case 14: out.append("no mac-address-table static \(mac()) vlan \(vlan())")
                case 15: out.append("version \"vmready \(pick(["0.1.0", "0.9.3", "1.0.0"]))\"")
                case 16: out.append(pick([
                    "exec-timeout \(int(0...120))", "exec-timeout \(int(0...120)) \(int(0...59))", "no exec-timeout",
                    "enable secret \(word())", "enable secret 9 \"\(RoundTripTests.sampleHash)\"", "no enable secret",
                ]))
                default: out.append(pick(["vlan 5000", "interface port 0", "bogus", "end", "configure terminal"]))
                }
            }
            return out
        }
    }

    /// A yescrypt hash, as `show running-config` renders an enable secret.
    static let sampleHash = "$y$j9T$eKKj9hwVtIf14ZTiPMZrh.$cowl50458PTN.GDxUOyn0rBsGl.7zogPO.w0Ozrn194"

    @Test func replayingTheRunningConfigReproducesIt() throws {
        var generator = ConfigGenerator(rng: FuzzTests.SplitMix(state: 0x0c0f_f1e5))
        var exercised = Set<String>()
        for round in 0..<150 {
            let sw = try VMreadySwitch()
            let shell = try sw.shell(kind: .batch)
            _ = shell.run("configure terminal")
            for line in generator.lines() {
                if case .command(let c) = sw.engine.parse(line, in: shell.session.mode) { exercised.insert(c.action) }
                _ = shell.run(line)
                if !shell.session.inConfig { _ = shell.run("configure terminal") }
            }
            let rendered = sw.runningConfig()
            let fresh = try VMreadySwitch()
            let report = fresh.replay(rendered.joined(separator: "\n"), source: "round \(round)")
            #expect(report.failures.isEmpty, "round \(round): \(report.failures.map { "\($0.line): \($0.text) \($0.error.message)" })")
            #expect(fresh.runningConfig() == rendered, "round \(round) does not round-trip:\n\(rendered.joined(separator: "\n"))")
        }
        // The law is only as strong as the commands it covers: every configuration action.
        let sw = try VMreadySwitch()
        let configModes = ["config", "interface", "vlan"].compactMap { sw.engine.mode(named: $0) }
        let navigation: Set<String> = ["session.exit", "session.end", "session.help"]
        let configActions = Set(sw.engine.samples().filter { configModes.contains($0.mode) }.map(\.action))
            .subtracting(navigation).filter { !$0.hasPrefix("show.") && $0 != "interface.enter" && $0 != "vlan.enter" }
        #expect(configActions.subtracting(exercised).isEmpty, "not exercised: \(configActions.subtracting(exercised).sorted())")
    }
}
