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
        let r = try BinaryRunner.run(["--startup-config", "/nonexistent/startup.cfg", "-c", "show vlan"])
        #expect(r.status == 2)
        #expect(r.stderr == "vmready: cannot read /nonexistent/startup.cfg: No such file or directory\n")
    }
}
