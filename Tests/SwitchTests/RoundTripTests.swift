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

        mutating func acl() -> Int { int(1...6) }
        mutating func hex() -> String { String(format: "%02x", int(0...3)) }
        mutating func vmMAC() -> String { "00:50:56:00:00:\(hex())" }
        // Quoted names, and names that are a prefix of the keyword `edit`, must replay too.
        mutating func profile() -> String { pick(["web", "db", "gold", "\"web\"", "e", "\"ed\"", "\"edit\""]) }
        mutating func group() -> Int { pick([1, 10, 4096, int(1...4096)]) }
        mutating func vmReference() -> String {
            pick([vmMAC(), "\(int(0...9))", "198.18.0.\(int(1...9))", "web01", "\"web01\"", "00:50:56:00:00:0g", "256.1.1.1"])
        }

        mutating func aclLine() -> String {
            let n = acl()
            return pick([
                "access-control list \(n) ethernet source-mac-address \(mac()) ff:ff:ff:00:00:00",
                "access-control list \(n) ethernet destination-mac-address \(mac()) ff:ff:ff:ff:ff:ff",
                "access-control list \(n) ethernet ethernet-type \(pick(["arp", "ip", "ipv6", "0x8035", "0x0100"]))",
                "access-control list \(n) ipv4 source-ip-address 198.18.\(int(0...1)).0 255.255.255.0",
                "access-control list \(n) ipv4 destination-ip-address 198.18.0.\(int(1...9)) 255.255.255.255",
                "access-control list \(n) ipv4 protocol \(pick([1, 6, 17]))",
                "access-control list \(n) tcp-udp \(pick(["source-port", "destination-port"])) \(int(1...65535))\(pick(["", " 0xfff0", " 65280"]))",
                "access-control list \(n) action \(pick(["permit", "deny"]))", "access-control list \(n) statistics",
                "no access-control list \(n)",
                "no access-control list \(n) \(pick(["ethernet source-mac-address", "ipv4 protocol", "tcp-udp source-port", "action", "statistics"]))",
            ])
        }

        mutating func profileLine() -> String {
            pick(["vlan \(vlan())", "no vlan", "shaping \(int(1...10) * 64) \(int(1...4096)) \(int(10...20) * 64)",
                  "eshaping \(int(1...10) * 64) \(int(1...64)) \(int(1...20) * 64)", "no shaping", "no eshaping",
                  "access-control \(acl())", "no access-control \(acl())"])
        }

        mutating func groupLine() -> String {
            pick(["vlan \(vlan())", "no vlan", "tag", "no tag", "vm \(vmReference())", "no vm \(vmReference())",
                  "port \(ports())", "no port \(ports())", "profile \(profile())", "no profile", "validate basic",
                  "no validate"])
        }

        mutating func lines() -> [String] {
            var out: [String] = []
            for _ in 0..<int(5...40) {
                switch int(0...25) {
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
                            "access-control list \(acl())", "no access-control list \(acl())",
                        ]))
                    }
                    out.append("exit")
                case 10: out.append(pick(["mac-address-table aging-time \(int(0...100_000))", "no mac-address-table aging-time"]))
                case 11: out.append(pick(["mac-address-table limit \(int(1...100_000))", "no mac-address-table limit"]))
                case 12, 13: out.append("mac-address-table static \(mac()) vlan \(vlan()) port \(int(1...9))")
                case 14: out.append("no mac-address-table static \(mac()) vlan \(vlan())")
                case 15: out.append("version \"vmready \(pick(["0.1.0", "0.9.3", "1.0.0"]))\"")
                case 16, 17: out.append(aclLine())
                case 18: out.append(pick(["virt enable", "no virt enable", "virt oui 02:00:\(hex()) \"\(word())\"",
                                          "no virt oui \(pick(["00:50:56", "52:54:00", "02:00:01"]))",
                                          "system server-ports port \(ports())", "no system server-ports port \(ports())",
                                          "no system server-ports", "virt vmcheck trust \(ports())", "no virt vmcheck trust",
                                          "virt vmcheck action basic \(pick(["log", "link"]))", "no virt vmcheck action basic"]))
                case 19:
                    let vm = pick([vmMAC(), "\(int(0...20))", "198.18.0.\(int(1...9))"])
                    out.append(pick(["virt vmpolicy vmbwidth \(vm) txrate \(int(1...100) * 64) \(int(1...4096))",
                                     "virt vmpolicy vmbwidth \(vm) rxrate \(int(1...100) * 64) \(int(1...4096))",
                                     "virt vmpolicy vmbwidth \(vm) bwctrl", "no virt vmpolicy vmbwidth \(vm)",
                                     "no virt vmpolicy vmbwidth \(vm) \(pick(["txrate", "rxrate", "bwctrl"]))"]))
                case 20:
                    out.append("virt vmprofile \(profile())")
                    for _ in 0..<int(1...4) { out.append(profileLine()) }
                    out.append("exit")
                case 21: out.append(pick(["virt vmprofile edit \(profile()) \(profileLine())", "no virt vmprofile \(profile())"]))
                case 22:
                    out.append("virt vmgroup \(group())")
                    for _ in 0..<int(1...5) { out.append(groupLine()) }
                    out.append("exit")
                case 23:
                    let line = groupLine()
                    let number = group()
                    out.append(line.hasPrefix("no ") ? pick(["no virt vmgroup \(number)", "no virt vmgroup \(number) \(line.dropFirst(3))"])
                                                     : "virt vmgroup \(number) \(line)")
                case 24: out.append(pick([
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
        let configModes = ["config", "interface", "vlan", "vmgroup", "vmprofile"].compactMap { sw.engine.mode(named: $0) }
        let navigation: Set<String> = ["session.exit", "session.end", "session.help"]
        let configActions = Set(sw.engine.samples().filter { configModes.contains($0.mode) }.map(\.action))
            .subtracting(navigation).filter { !$0.hasPrefix("show.") && $0 != "interface.enter" && $0 != "vlan.enter" }
            .filter { $0 != "vmgroup.enter" && $0 != "vmprofile.enter" }
        #expect(configActions.subtracting(exercised).isEmpty, "not exercised: \(configActions.subtracting(exercised).sorted())")
    }
}
