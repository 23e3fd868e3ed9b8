import FrameTestSupport
import CommandEngine
import Console
import Foundation
@testable import Switch
import Testing

/// The running-config law: replaying `show running-config` into a fresh switch gives a
/// byte-identical `show running-config`, for random configurations that use every
/// configuration command there is.
@Suite struct RoundTripTests {
    /// Random configuration lines, valid and not, over every configuration command.
    struct ConfigGenerator {
        var rng: SplitMix
        var vlans: [Int] = [1]

        mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
        mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }
        mutating func vlan() -> Int { int(0...3) == 0 ? int(1...4094) : pick(vlans) }
        mutating func ports() -> String { let a = int(1...8); return int(0...1) == 0 ? "\(a)" : "\(a)-\(int(a...8))" }
        mutating func mac() -> String { (0..<6).map { i in String(format: "%02x", i == 0 ? int(0...127) * 2 : int(0...255)) }.joined(separator: ":") }
        mutating func word() -> String { pick(["web", "db", "storage", "esx-a vmnic0", "uplink 1", "x"]) }
        /// A string argument as typed: plain words, and text that needs escaping or is not
        /// ASCII (each must replay byte-identically), quoted or bare.
        mutating func text() -> String {
            switch int(0...5) {
            case 0: return #""say \"hi\"""#
            case 1: return #""C:\\vms\\""#
            case 2: return #"a"b"#
            case 3: return #""café ünï""#
            case 4: return #"\x"#
            default: return "\"\(word())\""
            }
        }

        mutating func priorities() -> String { pick(["0-2", "3", "3,4", "4-7", "5,7", "\(int(0...7))", "0-7", "8"]) }
        mutating func dcbxTLV() -> String { pick(["ets", "pfc", "application"]) }
        mutating func acl() -> Int { int(1...6) }
        mutating func hex() -> String { String(format: "%02x", int(0...3)) }
        mutating func vmMAC() -> String { "00:50:56:00:00:\(hex())" }
        // Quoted names, and names that are a prefix of the keyword `edit`, must replay too.
        mutating func profile() -> String { pick(["web", "db", "gold", "\"web\"", "e", "\"ed\"", "\"edit\"", #""g\"old""#]) }
        mutating func group() -> Int { pick([1, 10, 4096, int(1...4096)]) }
        mutating func vmReference() -> String {
            pick([vmMAC(), "\(int(0...9))", "198.18.0.\(int(1...9))", "web01", "\"web01\"", "00:50:56:00:00:0g", "256.1.1.1",
                  #""db \"x\" café""#, #"a\b"#])
        }

        static let aclFields = ["ethernet source-mac-address", "ethernet destination-mac-address", "ethernet ethernet-type",
                                "ipv4 source-ip-address", "ipv4 destination-ip-address", "ipv4 protocol",
                                "tcp-udp source-port", "tcp-udp destination-port", "action", "statistics"]

        /// An ACL line: a field set, or (one time in three) the same field cleared, so that
        /// every `no` form is about as likely as its positive form.
        mutating func aclLine() -> String {
            let n = acl()
            if int(0...10) == 0 { return "no access-control list \(n)" }
            let field = int(0...(Self.aclFields.count - 1))
            if int(0...2) == 0 { return "no access-control list \(n) \(Self.aclFields[field])" }
            let value: String
            switch field {
            case 0: value = " \(mac()) ff:ff:ff:00:00:00"
            case 1: value = " \(mac()) ff:ff:ff:ff:ff:ff"
            case 2: value = " " + pick(["arp", "ip", "ipv6", "0x8035", "0x0100"])
            case 3: value = " 198.18.\(int(0...1)).0 255.255.255.0"
            case 4: value = " 198.18.0.\(int(1...9)) 255.255.255.255"
            case 5: value = " \(pick([1, 6, 17]))"
            case 6, 7: value = " \(int(1...65535))\(pick(["", " 0xfff0", " 65280"]))"
            case 8: value = " " + pick(["permit", "deny"])
            default: value = ""
            }
            return "access-control list \(n) \(Self.aclFields[field])" + value
        }

        mutating func profileLine() -> String {
            pick(["vlan \(vlan())", "no vlan", "shaping \(int(1...10) * 64) \(int(1...4096)) \(int(10...20) * 64)",
                  "eshaping \(int(1...10) * 64) \(int(1...64)) \(int(1...20) * 64)", "no shaping", "no eshaping",
                  "access-control \(acl())", "no access-control \(acl())"])
        }

        mutating func groupLine() -> String {
            pick(["vlan \(vlan())", "no vlan", "tag", "no tag", "vm \(vmReference())", "no vm \(vmReference())",
                  "port \(ports())", "no port \(ports())", "profile \(profile())", "no profile", "validate basic", "validate advanced",
                  "no validate"])
        }

        /// Few ports and groups, so that vNICs meet: totals over 100 %, one vNIC in two
        /// groups, an upstream that has vNICs.
        mutating func vnicPort() -> Int { pick([1, 2, 3, int(1...9)]) }
        mutating func vnic() -> String { "\(vnicPort()).\(int(1...4))" }
        mutating func vnicRange() -> String { let p = vnicPort(), a = int(1...4); return "\(p).\(a)-\(p).\(int(a...4)),\(vnic())" }
        mutating func vnicGroup() -> Int { pick([1, 2, 32, int(1...32)]) }
        mutating func bandwidth() -> Int { pick([10, 25, 50, 60, 100, int(1...100)]) }

        mutating func vnicLine() -> String {
            pick(["bandwidth \(bandwidth())", "no bandwidth", "enable", "enable", "no enable"])
        }

        mutating func vnicGroupLine() -> String {
            pick(["vlan \(vlan())", "no vlan", "member \(vnic())", "member \(vnic())", "no member \(vnic())",
                  "port \(int(1...9))", "no port", "enable", "no enable"])
        }

        mutating func lines() -> [String] {
            var out: [String] = []
            for _ in 0..<int(5...40) {
                switch int(0...42) {
                case 0: out.append(pick(["hostname rack\(int(1...99))", "no hostname"]))
                case 1, 2:
                    let v = int(2...4094)
                    vlans.append(v)
                    out += ["vlan \(v)"] + (int(0...1) == 0 ? ["name \(text())"] : ["no name"]) + ["exit"]
                case 3: out.append("no vlan \(pick(vlans))")
                case 4...9:
                    // vNICs too (often not configured yet: refused, as an operator's typo is).
                    out.append("interface port \(pick([ports(), ports(), vnic(), vnicRange()]))")
                    for _ in 0..<int(1...4) {
                        out.append(pick([
                            "description \(text())", "no description", "shutdown", "no shutdown",
                            "switchport mode trunk", "switchport mode access", "no switchport mode",
                            "switchport access vlan \(vlan())", "no switchport access vlan",
                            "switchport trunk allowed vlan \(vlan()),\(vlan())", "no switchport trunk allowed vlan",
                            "switchport trunk native vlan \(vlan())", "no switchport trunk native vlan",
                            "access-control list \(acl())", "no access-control list \(acl())",
                            "lldp admin-status \(pick(["tx_rx", "tx_only", "rx_only", "disabled"]))", "no lldp admin-status",
                            "lldp tlv \(pick(LLDPCommands.tlvKeywords.map(\.1)))", "no lldp tlv \(pick(LLDPCommands.tlvKeywords.map(\.1)))",
                            "dcbx advertise \(dcbxTLV())", "no dcbx advertise \(dcbxTLV())", "dcbx willing", "no dcbx willing",
                            "speed \(pick([1000, 25000, int(1...1_000_000)]))", "no speed",
                            "evb profile \(int(1...3))", "no evb profile",
                        ]))
                    }
                    out.append("exit")
                case 10: out.append(pick(["mac-address-table aging-time \(int(0...100_000))", "no mac-address-table aging-time"]))
                case 11:
                    switch int(0...3) {
                    case 0: out.append("mac-address-table limit \(int(1...100_000))")
                    case 1: out.append("no mac-address-table limit")
                    // Few distinct values, so that ports share a limit and render as one list.
                    case 2: out.append("mac-address-table limit \(pick(["10", "100", "\(int(1...100_000))"])) port \(pick([ports(), vnicRange()]))")
                    default: out.append("no mac-address-table limit port \(pick([ports(), vnicRange()]))")
                    }
                case 12, 13: out.append("mac-address-table static \(mac()) vlan \(vlan()) port \(int(1...9))")
                case 14: out.append("no mac-address-table static \(mac()) vlan \(vlan())")
                case 15: out.append("version \"vmready \(pick(["0.1.0", "0.9.3", "1.0.0"]))\"")
                case 16, 17: out.append(aclLine())
                case 18: out.append(pick(["virt enable", "no virt enable", "virt oui 02:00:\(hex()) \"\(word())\"",
                                          "no virt oui \(pick(["00:50:56", "52:54:00", "02:00:01"]))",
                                          "system server-ports port \(ports())", "no system server-ports port \(ports())",
                                          "no system server-ports", "virt vmcheck trust \(ports())", "no virt vmcheck trust", "no virt vmcheck trust \(ports())",
                                          "virt vmcheck action basic \(pick(["log", "link"]))", "no virt vmcheck action basic",
                                          "virt vm limit \(int(1...262_144))", "no virt vm limit"]))
                case 19:
                    let vm = pick([vmMAC(), "\(int(0...20))", "198.18.0.\(int(1...9))"])
                    let setting = pick(["txrate", "rxrate", "bwctrl"])
                    switch int(0...4) {
                    case 0: out.append("no virt vmpolicy vmbwidth \(vm)")
                    case 1, 2: out.append("no virt vmpolicy vmbwidth \(vm) \(setting)")
                    default:
                        out.append("virt vmpolicy vmbwidth \(vm) \(setting)" + (setting == "bwctrl" ? "" : " \(int(1...100) * 64) \(int(1...4096))"))
                    }
                case 20:
                    out.append("virt vmprofile \(profile())")
                    for _ in 0..<int(1...4) { out.append(profileLine()) }
                    out.append("exit")
                case 21: out.append(pick(["virt vmprofile edit \(profile()) \(profileLine())", "no virt vmprofile \(profile())"]))
                case 22:
                    out.append("virt vmgroup \(group())")
                    for _ in 0..<int(1...5) { out.append(groupLine()) }
                    out.append("exit")
                case 23, 26, 27:
                    let line = groupLine()
                    let number = group()
                    out.append(line.hasPrefix("no ") ? pick(["no virt vmgroup \(number)", "no virt vmgroup \(number) \(line.dropFirst(3))"])
                                                     : "virt vmgroup \(number) \(line)")
                case 24: out.append(pick([
                    "exec-timeout \(int(0...120))", "exec-timeout \(int(0...120)) \(int(0...59))", "no exec-timeout",
                    "enable secret \(word())", "enable secret 9 \"\(RoundTripTests.sampleHash)\"", "no enable secret",
                ]))
                case 28: out.append(pick([
                    "lldp enable", "no lldp enable", "lldp refresh-interval \(int(5...32_768))", "no lldp refresh-interval",
                    "lldp holdtime-multiplier \(int(2...10))", "no lldp holdtime-multiplier",
                ]))
                case 29: out.append(pick([
                    "lldp reinit-delay \(int(1...10))", "no lldp reinit-delay", "system management-address 198.18.\(int(0...1)).\(int(1...254))",
                    "no system management-address", "lldp refresh-interval 4", "system management-address 0.0.0.0",
                ]))
                // Bandwidths of few values, so that the groups often add up to 100 and `dcbx enable` takes.
                case 30:
                    let group = int(0...3)
                    out.append(pick(["dcbx enable", "no dcbx enable", "no dcbx ets priority-group \(group)",
                                     "dcbx ets priority-group \(group) priorities \(priorities()) bandwidth \(pick([0, 25, 50, 100, int(0...100)]))"]))
                case 31:
                    let application = pick(["ethertype \(pick(["0x8906", "0x8914", "0x0100"]))", "tcp-port \(pick([3260, 860, int(1...65535)]))",
                                            "udp-port \(pick([4791, 3260]))"])
                    out.append(pick(["dcbx pfc priority \(priorities())", "no dcbx pfc priority",
                                     "dcbx application \(application) priority \(int(0...7))", "no dcbx application \(application)"]))
                case 32: out.append(pick([
                    "vnic enable", "no vnic enable", "vnic port \(vnicPort()) mode switch", "vnic port \(vnicPort()) mode io-extender",
                    "no vnic port \(vnicPort()) mode", "vnic port \(vnicPort()) io-extender upstream \(int(1...9))",
                    "vnic port \(vnicPort()) cdcp", "no vnic port \(vnicPort()) cdcp", "no vnic port \(vnicPort()) index \(int(1...4))",
                    "no vnic vnicgroup \(vnicGroup())", "vnic port 65 index 1", "vnic port 1 index 5",
                ]))
                case 33, 34:
                    out.append("vnic port \(vnicPort()) index \(int(1...4))")
                    for _ in 0..<int(1...3) { out.append(vnicLine()) }
                    out.append("exit")
                case 35:
                    out.append("vnic vnicgroup \(vnicGroup())")
                    for _ in 0..<int(1...5) { out.append(vnicGroupLine()) }
                    out.append("exit")
                case 36:
                    let host = "hv\(int(1...3))"
                    out.append(pick([
                        "virt vmmanager host \(host) uri \"qemu+ssh://root@\(host).example/system\"", "no virt vmmanager host \(host)",
                        "no virt vmmanager host \(host) uri", "virt vmmanager host \(host) port \(ports())",
                        "no virt vmmanager host \(host) port", "no virt vmmanager host \(host) port \(ports())",
                    ]))
                case 37: out.append(pick([
                    "virt vmmanager discover lldp \"\(pick(["qemu+tcp://{address}/system", "qemu+ssh://{name}/system"]))\"",
                    "no virt vmmanager discover lldp", "virt vmmanager publish", "no virt vmmanager publish",
                    "virt vmcheck action advanced \(pick(["log", "link", "acl"]))", "no virt vmcheck action advanced",
                    "virt vmcheck acls max \(pick([1, 50, int(1...256)]))", "no virt vmcheck acls max",
                ]))
                case 38:
                    let number = int(1...3)
                    if int(0...3) == 0 {
                        out.append(pick(["no virt evb profile \(number)", "ecp retransmit-exponent \(int(8...20))",
                                         "no ecp retransmit-exponent"]))
                    } else {
                        out.append("virt evb profile \(number)")
                        for _ in 0..<int(1...3) {
                            out.append(pick(["reflective-relay", "no reflective-relay", "vsi-discovery", "no vsi-discovery"]))
                        }
                        out.append("exit")
                    }
                case 39:
                    let type = "virt evb vsitype \(pick([4711, 0, 16_777_215, int(0...9)])) version \(pick([0, 1, 255]))"
                    if int(0...3) == 0 {
                        out.append("no " + type)
                    } else {
                        out.append(type)
                        for _ in 0..<int(1...3) { out.append(pick(["vlan \(vlan())", "no vlan", "profile \(profile())", "no profile"])) }
                        out.append("exit")
                    }
                case 40:
                    // Loopback port 1: nothing listens, so the client started fails at once and stays away.
                    out.append(pick([
                        "virt policy-db uri \"postgresql://vmready@127.0.0.1:1/\(pick(["policy", "dc-east"]))\"",
                        "virt policy-db uri \"postgres://127.0.0.1:1/policy?sslmode=disable\"",
                        "virt policy-db password-file \"/etc/vmready/\(pick(["policy.pass", "pg pass"]))\"",
                        "no virt policy-db password-file", "virt policy-db switch-id \(pick(["sw-a", "rack7.tor1"]))",
                        "no virt policy-db switch-id", "no virt policy-db",
                    ]))
                case 41:
                    // The subagent starts and finds no snmpd (a test never has a system one).
                    out.append(pick([
                        "snmp-server enable agentx", "snmp-server enable agentx socket \"/run/vmready-test/agentx\"",
                        "snmp-server enable agentx socket /var/agentx/master", "snmp-server enable agentx socket relative",
                        "snmp-server enable agentx socket \"/two words\"", "no snmp-server enable agentx",
                    ]))
                case 42:
                    // Loopback port 1: nothing listens there (nothing in these switches logs much anyway).
                    let host = "logging host \(int(1...4))"
                    out.append(pick([
                        "\(host) address 127.0.0.1", "\(host) address 127.0.0.1 port 1 tcp", "\(host) address 127.0.0.1 tcp",
                        "\(host) address 127.0.0.1 port \(pick([1, 514, 65535]))", "\(host) address 0.0.0.0",
                        "\(host) address 224.0.0.1", "\(host) severity \(int(0...7))", "\(host) severity 8",
                        "\(host) facility local\(int(0...7))", "\(host) facility kern", "no \(host)", "logging host 5 address 127.0.0.1",
                        "logging console", "logging console severity \(int(0...7))", "no logging console",
                        "logging buffered \(pick([100, 1000, 5000, 100_000, int(100...100_000)]))", "logging buffered 99",
                        "no logging buffered",
                    ]))
                    // Every facility keyword is a form of its own: each gets its chance every time.
                    out.append("\(host) facility local\(int(0...7))")
                default: out.append(pick(["vlan 5000", "interface port 0", "bogus", "end", "configure terminal"]))
                }
            }
            return out
        }
    }

    /// A yescrypt hash, as `show running-config` renders an enable secret.
    static let sampleHash = "$y$j9T$eKKj9hwVtIf14ZTiPMZrh.$cowl50458PTN.GDxUOyn0rBsGl.7zogPO.w0Ozrn194"

    /// A command's form: its action, the keywords typed and which parameters were given.
    static func form(_ c: MatchedCommand) -> String {
        c.action + " [" + c.keywords.joined(separator: " ") + "] " + c.arguments.values.keys.sorted().joined(separator: ",")
    }

    /// `logging console` is among the generated lines: its events go nowhere, not into the
    /// test run's output.
    static let quietConsole = open("/dev/null", O_WRONLY)
    static var quiet: SwitchOptions {
        var options = SwitchOptions()
        options.consoleLogDescriptor = quietConsole
        return options
    }

    /// The law on one switch: its running-config replays without error into a fresh switch,
    /// renders the same there, and leaves the same configuration.
    static func expectRoundTrip(_ sw: VMreadySwitch, _ label: String) throws {
        let rendered = sw.runningConfig()
        let fresh = try VMreadySwitch(quiet)
        let report = fresh.replay(rendered.joined(separator: "\n"), source: label)
        #expect(report.failures.isEmpty, "\(label): \(report.failures.map { "\($0.line): \($0.text) \($0.error.message)" })")
        #expect(fresh.runningConfig() == rendered, "\(label) does not round-trip:\n\(rendered.joined(separator: "\n"))")
        // Rendering both sides identically is not enough: a setting left out of the
        // rendering vanishes from both. The replayed switch must hold what the first held.
        let original = sw.state.withLock { $0.configured }, replayed = fresh.state.withLock { $0.configured }
        if original != replayed {
            let config = rendered.joined(separator: "\n")
            #expect(original.hostname == replayed.hostname, "\(label):\n\(config)")
            #expect(original.descriptions == replayed.descriptions, "\(label):\n\(config)")
            #expect(original.vnicDescriptions == replayed.vnicDescriptions, "\(label):\n\(config)")
            #expect(original.vmManager == replayed.vmManager, "\(label):\n\(config)")
            #expect(original.evb == replayed.evb, "\(label):\n\(config)")
            #expect(original.bridge.ports == replayed.bridge.ports, "\(label):\n\(config)")
            #expect(original.bridge.vlans == replayed.bridge.vlans, "\(label):\n\(config)")
            #expect(original.bridge == replayed.bridge, "\(label):\n\(config)")
            #expect(original.virt == replayed.virt, "\(label):\n\(config)")
            #expect(original.access == replayed.access, "\(label):\n\(config)")
            #expect(original.lldp == replayed.lldp, "\(label):\n\(config)")
            #expect(original.dcbx == replayed.dcbx, "\(label):\n\(config)")
            #expect(original.vnicCDCPPorts == replayed.vnicCDCPPorts, "\(label):\n\(config)")
            #expect(original.snmp == replayed.snmp, "\(label):\n\(config)")
            #expect(original.logging == replayed.logging, "\(label):\n\(config)")
        }
    }

    static let configModes = ["config", "interface", "vlan", "vmgroup", "vmprofile", "vnic", "vnicgroup", "evbprofile", "vsitype"]
    static let navigation: Set<String> = ["session.exit", "session.end", "session.help", "interface.enter", "vlan.enter",
                                          "vmgroup.enter", "vmprofile.enter"]

    @Test func replayingTheRunningConfigReproducesIt() throws {
        var generator = ConfigGenerator(rng: SplitMix(state: 0x0c0f_f1e6))
        var exercised = Set<String>()
        for round in 0..<400 {
            let sw = try VMreadySwitch(Self.quiet)
            let shell = try sw.shell(kind: .batch)
            _ = shell.run("configure terminal")
            for line in generator.lines() {
                if case .command(let c) = sw.engine.parse(line, in: shell.session.mode) { exercised.insert(Self.form(c)) }
                _ = shell.run(line)
                if !shell.session.inConfig { _ = shell.run("configure terminal") }
            }
            try Self.expectRoundTrip(sw, "round \(round)")
        }
        // The law is only as strong as the commands it covers: every form (keywords and
        // alternatives taken) of every configuration action.
        let sw = try VMreadySwitch()
        var required = Set<String>()
        for sample in sw.engine.samples() where Self.configModes.contains(sw.engine.info(sample.mode).name) {
            guard case .command(let c) = sw.engine.parse(sample.line, in: sample.mode), !c.viaDo,
                  !Self.navigation.contains(c.action), !c.action.hasPrefix("show.") else { continue }
            required.insert(Self.form(c))
        }
        #expect(required.subtracting(exercised).isEmpty, "not exercised: \(required.subtracting(exercised).sorted())")
    }
}
