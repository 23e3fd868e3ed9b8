import Foundation
import Testing

/// Flash through the binary: save and boot, the archive, export and import, `configure
/// replace` with its rollback, `erase`, `reload`.
@Suite struct FlashBinaryTests {
    let state = FileManager.default.temporaryDirectory.appending(path: "vmready-flash-\(UUID().uuidString)")

    func run(_ commands: [String], _ flags: [String] = []) throws -> BinaryRunner.Result {
        try BinaryRunner.run(flags + commands.flatMap { ["-c", $0] }, stateDirectory: state)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: state) }

    @Test func saveThenBootFromFlash() throws {
        defer { cleanUp() }
        let first = try run(["configure terminal", "hostname saved-tor", "vlan 100", "name web", "end",
                             "write memory", "show running-config"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("Configuration saved.\n"))
        let saved = String(first.stdout.dropFirst("Configuration saved.\n".count))
        let second = try run(["show running-config", "show startup-config", "show boot-log"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == saved + saved + "Startup-config: flash, \(saved.split(separator: "\n").count) lines, 0 failed\n")

        #expect(try run(["erase startup-config"]).status == 0)
        let third = try run(["show running-config | include hostname", "show startup-config"])
        #expect(third.stdout == "")
        #expect(third.stderr.contains("% No startup-config in flash"))
    }

    @Test func archiveKeepsTheLastTwentySaves() throws {
        defer { cleanUp() }
        let commands = ["configure terminal"] + (1...22).flatMap { ["hostname h\($0)", "do write comment step \($0)"] } + ["end", "show archive"]
        let r = try run(commands)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").filter { $0.first == " " && $0.contains("batch") }
        #expect(rows.count == 20)
        #expect(rows.first?.hasPrefix("  1  ") == true)
        #expect(rows.last?.hasPrefix(" 20  ") == true)
        #expect(rows.first?.hasSuffix("  step 22") == true, "\(rows.first ?? "")")
        #expect(rows.last?.hasSuffix("  step 3") == true)
        let newest = try run(["show archive 1 | include hostname", "show archive 20 | include hostname"])
        #expect(newest.stdout == "hostname \"h22\"\nhostname \"h3\"\n")
    }

    @Test func configureReplaceAppliesAllOrNothing() throws {
        defer { cleanUp() }
        // Archive 2: port 8 described; archive 1: VLAN 300.
        _ = try run(["configure terminal", "interface port 8", "description \"eight\"", "end", "write",
                     "configure terminal", "interface port 8", "no description", "vlan 300", "end", "write"])
        let good = try run(["configure terminal", "hostname scratch", "end", "configure replace archive 2",
                            "show running-config | include hostname|description|vlan"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "        description \"eight\"\n")
        // On a 4-port switch archive 2's `interface port 8` fails: nothing of it is applied.
        let bad = try run(["configure terminal", "hostname keep-me", "end", "configure replace archive 2",
                           "show running-config | include hostname|description"], ["--ports", "4"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("% Archive 2 line"))
        #expect(bad.stderr.contains("the running configuration is unchanged"))
        #expect(bad.stdout == "hostname \"keep-me\"\n")
    }

    @Test func exportAndImport() throws {
        defer { cleanUp() }
        _ = try run(["configure terminal", "hostname exported", "end", "write"])
        #expect(try run(["copy startup-config file saved.cfg"]).status == 0)
        let again = try run(["copy startup-config file saved.cfg"])
        #expect(again.stderr.contains("exists; add 'force' to overwrite it"))
        #expect(try run(["copy startup-config file saved.cfg force"]).status == 0)
        // Files live in the state directory's files/ directory.
        let files = state.appending(path: "files")
        let text = try String(contentsOf: files.appending(path: "saved.cfg"), encoding: .utf8)
        #expect(text.contains("hostname \"exported\""))

        // A file that would not boot is refused with its first failing line; flash unchanged.
        try (text.replacingOccurrences(of: "hostname \"exported\"", with: "hostname \"imported\"") + "vlan 9999\n")
            .write(to: files.appending(path: "bad.cfg"), atomically: true, encoding: .utf8)
        let bad = try run(["copy file bad.cfg startup-config force"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.cfg line"))
        #expect(bad.stderr.contains("flash is unchanged"))
        try text.replacingOccurrences(of: "hostname \"exported\"", with: "hostname \"imported\"")
            .write(to: files.appending(path: "good.cfg"), atomically: true, encoding: .utf8)
        #expect(try run(["copy file good.cfg startup-config"]).stderr.contains("add 'force'"))
        let good = try run(["copy file good.cfg startup-config force", "reload force", "show running-config | include hostname"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "Configuration saved.\nReloaded from flash.\nhostname \"imported\"\n")
    }
}
