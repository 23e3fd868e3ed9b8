import Foundation
import Testing

/// `make run`'s demo: the binary booted on Demo/startup-config with the bundled captures
/// replayed shows VMs, their groups and a migration at once (README's first command).
@Suite struct DemoBinaryTests {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../Demo").standardized

    /// `make run`'s flags: the demo's startup-config and captures.
    static let demoArguments = [
        "--startup-config", demo.appending(path: "startup-config").path,
        "--attach", "1=file:" + demo.appending(path: "captures/esx-a.pcap").path,
        "--attach", "2=file:" + demo.appending(path: "captures/esx-b.pcap").path,
        "--attach", "8=file:" + demo.appending(path: "captures/uplink.pcap").path,
    ]

    @Test func theDemoShowsVMsGroupsAndAMigrationAtOnce() throws {
        let r = try BinaryRunner.run(Self.demoArguments + [
            "-c", "show virt vm", "-c", "show virt migrations", "-c", "show boot-log", "-c", "show lldp remote-device",
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
        // The hypervisors behind ports 1 and 2, as their LLDPDUs name them.
        #expect(lines.contains { $0.hasPrefix("1         | 1     | 3c:fd:fe:a0:00:01    | vmnic0") && $0.contains("| esx-a ") })
        #expect(lines.contains { $0.hasPrefix("2         | 2     | 3c:fd:fe:b0:00:01    | vmnic0") && $0.contains("| esx-b ") })
    }

    /// `vmready -c 'show ... | json'` is the scripting interface: stdout is exactly one JSON
    /// document per command, one per line, and the values are the text's.
    @Test func aScriptReadsTheDemosVMsAsJSON() throws {
        let r = try BinaryRunner.run(Self.demoArguments + [
            "-c", "show virt vm | json", "-c", "show virt migrations | json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let documents = r.stdout.split(separator: "\n").map { Data($0.utf8) }
        try #require(documents.count == 2, "\(r.stdout)")
        let vms = try #require(try JSONSerialization.jsonObject(with: documents[0]) as? [String: Any])["vms"] as? [[String: Any]]
        let web = try #require(vms?.first { $0["mac"] as? String == "00:50:56:9c:00:c8" })
        #expect(web["ip"] as? String == "198.18.46.25")
        #expect(web["vmGroup"] as? Int == 10)
        #expect(web["profile"] as? String == "web")
        #expect(vms?.contains { $0["kind"] as? String == "serviceConsole" && $0["ip"] as? String == "198.18.46.50" } == true)
        let moves = try #require(try JSONSerialization.jsonObject(with: documents[1]) as? [String: Any])["migrations"] as? [[String: Any]]
        #expect(moves?.contains { $0["mac"] as? String == "00:50:56:9c:00:c8" && $0["vlan"] as? Int == 100
            && $0["fromPort"] as? String == "1" && $0["toPort"] as? String == "2" && $0["how"] as? String == "RARP" } == true)
    }

    /// The demo's web VMs are named by MAC before they are seen: the very first frame
    /// each sends (an ARP on ESX host A, port 1) already leaves in VLAN 100, tagged on
    /// the uplink, and never in port 1's own VLAN towards the KVM host on port 3.
    @Test func theFirstFramesOfTheDemosWebVMsLeaveInTheirGroupsVLAN() throws {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../Demo").standardized
        let capture = FileManager.default.temporaryDirectory.appending(path: "vmready-demo-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let r = try BinaryRunner.run([
            "--startup-config", demo.appending(path: "startup-config").path,
            "--attach", "1=file:" + demo.appending(path: "captures/esx-a.pcap").path,
            "--attach", "2=file:" + demo.appending(path: "captures/esx-b.pcap").path,
            "--attach", "8=file:" + demo.appending(path: "captures/uplink.pcap").path,
            "--capture", capture.path, "-c", "show virt vm",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let web = [[0x00, 0x50, 0x56, 0x9c, 0x00, 0xc8], [0x00, 0x50, 0x56, 0x9c, 0x21, 0x2f]] as [[UInt8]]
        let kvmHost = try PcapFrames.read(capture.appending(path: "port-3.pcap"))
        #expect(!kvmHost.isEmpty, "port 3 hears VLAN 1's broadcasts")
        #expect(!kvmHost.contains { web.contains(Array($0[6..<12])) }, "no web VM frame in VLAN 1")
        let uplink = try PcapFrames.read(capture.appending(path: "port-8.pcap"))
        for vm in web {
            let first = try #require(uplink.first { Array($0[6..<12]) == vm })
            #expect(Array(first[12..<16]) == [0x81, 0x00, 0x00, 100], "tagged VLAN 100 on the trunk")
        }
    }
}

/// The frames of a classic pcap file (`--capture` writes them), without their record headers.
enum PcapFrames {
    static func read(_ url: URL) throws -> [[UInt8]] {
        let bytes = [UInt8](try Data(contentsOf: url))
        var frames: [[UInt8]] = []
        var offset = 24
        while offset + 16 <= bytes.count {
            let length = (0..<4).reduce(0) { $0 | Int(bytes[offset + 8 + $1]) << (8 * $1) }
            offset += 16
            guard offset + length <= bytes.count else { break }
            frames.append(Array(bytes[offset..<offset + length]))
            offset += length
        }
        return frames
    }
}
