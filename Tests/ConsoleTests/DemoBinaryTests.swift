import Foundation
import Testing

/// `make run`'s demo: the binary booted on Demo/startup-config with the bundled captures
/// replayed shows VMs, their groups and a migration at once (README's first command).
@Suite struct DemoBinaryTests {
    @Test func theDemoShowsVMsGroupsAndAMigrationAtOnce() throws {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../Demo").standardized
        let r = try BinaryRunner.run([
            "--startup-config", demo.appending(path: "startup-config").path,
            "--attach", "1=file:" + demo.appending(path: "captures/esx-a.pcap").path,
            "--attach", "2=file:" + demo.appending(path: "captures/esx-b.pcap").path,
            "--attach", "8=file:" + demo.appending(path: "captures/uplink.pcap").path,
            "-c", "show virt vm", "-c", "show virt migrations", "-c", "show boot-log",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // Service console, VMkernel, VMs in groups by MAC (with profile) and by IP.
        #expect(lines.contains { $0.hasPrefix("*198.18.46.50") })
        #expect(lines.contains { $0.hasPrefix("+198.18.46.51") })
        #expect(lines.contains { $0.hasPrefix("198.18.46.25    00:50:56:9c:00:c8") && $0.hasSuffix("10 (web)") })
        #expect(lines.contains { $0.hasPrefix("198.18.46.30    52:54:00:12:34:56") && $0.hasSuffix("20") })
        #expect(lines.contains { $0.contains("00:50:56:9c:00:c8  100   1     2     RARP") },
                "the migration happens in the group's VLAN: the policy was in place during the replay")
        #expect(!r.stderr.contains("failed"), "\(r.stderr)")
    }
}
