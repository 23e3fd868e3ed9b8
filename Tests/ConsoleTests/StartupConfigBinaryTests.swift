import Foundation
import Testing

/// `--startup-config FILE`: replayed in global config at boot; failing lines are reported
/// with their numbers in `show boot-log`, the boot goes on, and the console gets one line.
@Suite struct StartupConfigBinaryTests {
    @Test func badLinesAreReportedAndTheBootGoesOn() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "startup-\(UUID().uuidString).cfg")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            Current configuration:
            !
            version "vmready 0.1.0"
            !
            hostname "lab-tor"
            !
            vlan 5000
            vlan 100
                    name "web"
                    bogus
                    exit
            !
            interface port 2
                    switchport access vlan 100
                    exit
            !
            end

            """.write(to: file, atomically: true, encoding: .utf8)
        let r = try BinaryRunner.run(["--startup-config", file.path, "-c", "show boot-log",
                                      "-c", "show running-config | include hostname|vlan"])
        #expect(r.status == 0)
        #expect(r.stderr == "% Startup-config (\(file.path)): 2 of 17 lines failed; see 'show boot-log'\n")
        #expect(r.stdout == """
            Startup-config: \(file.path), 17 lines, 2 failed
            line 7: vlan 5000
                         ^
            % Invalid input detected at '^' marker.
            line 10:         bogus
                             ^
            % Invalid input detected at '^' marker.
            hostname "lab-tor"
            vlan 100
                    switchport access vlan 100

            """)
    }

    @Test func noStartupConfigMeansAnEmptyBootLog() throws {
        let r = try BinaryRunner.run(["-c", "show boot-log"])
        #expect(r.stdout == "No startup-config was replayed at boot.\n")
    }

    @Test func anUnreadableStartupConfigIsAFlagError() throws {
        let state = FileManager.default.temporaryDirectory.appending(path: "vmready-unreadable-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let r = try BinaryRunner.run(["--startup-config", "/nonexistent/startup.cfg", "-c", "show vlan"], stateDirectory: state)
        #expect(r.status == 2)
        #expect(r.stderr == "vmready: cannot read /nonexistent/startup.cfg: No such file or directory\n")
        // A switch that does not start leaves no control socket behind.
        #expect(!FileManager.default.fileExists(atPath: state.appending(path: "vmready.sock").path))
    }

    /// CRLF line endings and a UTF-8 byte-order mark, as editors elsewhere save files:
    /// accepted by `--startup-config`, `--batch` and `copy file`.
    @Test func crlfAndAByteOrderMarkAreAccepted() throws {
        let state = FileManager.default.temporaryDirectory.appending(path: "vmready-crlf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        try FileManager.default.createDirectory(at: state.appending(path: "files"), withIntermediateDirectories: true)
        let text = "\u{FEFF}hostname \"crlf-tor\"\r\nvlan 100\r\n        name \"web\"\r\n        exit\r\n"
        let file = state.appending(path: "startup.cfg")
        try Data(text.utf8).write(to: file)
        let boot = try BinaryRunner.run(["--startup-config", file.path, "-c", "show boot-log",
                                         "-c", "show running-config | include hostname|name"], stateDirectory: state)
        #expect(boot.stderr == "")
        #expect(boot.stdout == "Startup-config: \(file.path), 4 lines, 0 failed\nhostname \"crlf-tor\"\n        name \"web\"\n")

        let batch = state.appending(path: "commands.txt")
        try Data("\u{FEFF}configure terminal\r\nhostname batch-crlf\r\nend\r\nshow running-config | include hostname\r\n".utf8)
            .write(to: batch)
        let batched = try BinaryRunner.run(["--batch", batch.path], stateDirectory: state)
        #expect(batched.status == 0, "\(batched.stderr)")
        #expect(batched.stdout == "hostname \"batch-crlf\"\n")

        try Data(text.utf8).write(to: state.appending(path: "files/import.cfg"))
        let imported = try BinaryRunner.run(["-c", "copy file import.cfg startup-config", "-c", "show startup-config"],
                                            stateDirectory: state)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "Configuration saved.\nhostname \"crlf-tor\"\nvlan 100\n        name \"web\"\n        exit\n")
    }

    /// `reload` boots from the source the switch booted from: the `--startup-config` file
    /// (as the demo starts), not flash or the defaults.
    @Test func reloadBootsFromTheStartupConfigFileAgain() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "startup-\(UUID().uuidString).cfg")
        defer { try? FileManager.default.removeItem(at: file) }
        try "hostname \"from-file\"\nvlan 100\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try BinaryRunner.run(["--startup-config", file.path, "-c", "configure terminal", "-c", "hostname changed",
                                      "-c", "no vlan 100", "-c", "end", "-c", "reload force",
                                      "-c", "show running-config | include hostname|vlan"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Reloaded from \(file.path).\nhostname \"from-file\"\nvlan 100\n")

    }

    /// A failing `enable secret` line shows in `show boot-log` masked, never in clear.
    @Test func aSecretInTheBootLogIsMasked() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "startup-\(UUID().uuidString).cfg")
        defer { try? FileManager.default.removeItem(at: file) }
        let tooLong = "Clear-" + String(repeating: "x", count: 130)
        try "enable secret \(tooLong)\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try BinaryRunner.run(["--startup-config", file.path, "-c", "show boot-log"])
        #expect(r.stdout.hasPrefix("Startup-config: \(file.path), 1 lines, 1 failed\nline 1: enable secret ********\n"), "\(r.stdout)")
        #expect(!r.stdout.contains("Clear-"))
    }
}
