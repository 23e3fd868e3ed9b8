import Console
import Foundation
import Switch
import Testing

/// The flash and boot commands' JSON, which no transcript can show (their switches have no
/// flash, and saved times are the wall clock's): validated against their schemas here, on a
/// switch with flash that saved twice and replayed a configuration with a failing line.
@Suite struct FlashJSONTests {
    @Test func savedConfigurationsTheArchiveAndTheBootLogAsJSON() throws {
        let state = FileManager.default.temporaryDirectory.appending(path: "vmready-flash-json-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let sw = try VMreadySwitch(SwitchOptions(portCount: 4, stateDirectory: state))
        let report = sw.replay("hostname \"edge-1\"\nvlan 5000\nvlan 100\n name \"web\"\n exit\n", source: "test")
        #expect(report.failures.count == 1)
        let shell = try sw.shell(kind: .batch)
        for line in ["write memory", "configure terminal", "hostname edge-2", "end", "write memory"] {
            #expect(shell.run(line).succeeded, "\(line)")
        }
        let lines = ["show startup-config", "show archive", "show archive 1", "show boot-log", "show virt oui"]
        let documents = try lines.map { line in try #require(ShowJSONCheck.run(line, in: shell), "\(line)") }
        #expect(try ShowJSONCheck.validate(documents) == [], "\(documents.map(\.document))")
        func object(_ index: Int) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(documents[index].document.utf8)) as? [String: Any])
        }
        // The saved configuration as a tree: the VLAN's name under the VLAN.
        let commands = try object(0)["commands"] as? [[String: Any]] ?? []
        #expect(commands.contains { $0["command"] as? String == "hostname \"edge-2\"" })
        let vlan = commands.first { $0["command"] as? String == "vlan 100" }
        #expect((vlan?["subcommands"] as? [[String: Any]])?.map { $0["command"] as? String } == ["name \"web\""])
        // Two saves, the newest first as the text lists them; the older holds the first hostname.
        let archive = try object(1)["archive"] as? [[String: Any]] ?? []
        #expect(archive.count == 2)
        let older = try object(2)["commands"] as? [[String: Any]] ?? []
        #expect(older.contains { $0["command"] as? String == "hostname \"edge-1\"" } != older.contains { $0["command"] as? String == "hostname \"edge-2\"" })
        let boot = try object(3)
        #expect(boot["source"] as? String == "test" && boot["lineCount"] as? Int == 5)
        let failure = (boot["failures"] as? [[String: Any]])?.first
        #expect(failure?["line"] as? Int == 2 && failure?["text"] as? String == "vlan 5000")
        #expect((try object(4)["ouis"] as? [[String: Any]])?.contains { $0["oui"] as? String == "00:50:56" && $0["vendor"] as? String == "VMware" } == true)
    }
}
