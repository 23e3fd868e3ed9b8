import Foundation
import Testing

/// The batch contract of cli.md, through the real binary: stdin, `--batch`, `-c`, exit
/// status, `line N:` errors on stderr, `--stop-on-error`, trailing `?`, flag errors.
@Suite struct BatchBinaryTests {
    @Test func stdinBatchRunsInPrivilegedExecAndSucceeds() throws {
        let r = try BinaryRunner.run([], stdin: "configure terminal\nhostname lab1\nend\nshow running-config | include hostname\n")
        #expect(r.status == 0)
        #expect(r.stdout == "hostname \"lab1\"\n")
        #expect(r.stderr == "")
    }

    @Test func errorsGoToStderrWithLineNumbersAndCaret() throws {
        let r = try BinaryRunner.run([], stdin: "configure terminal\nvlan 5000\nvlan\nno vlan 7\nhostname ok\n")
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            line 2: vlan 5000
                         ^
            % Invalid input detected at '^' marker.
            line 3: vlan
            % Incomplete command.
            line 4: no vlan 7
            % VLAN 7 does not exist

            """)
    }

    @Test func stopOnErrorStopsAtTheFirstFailure() throws {
        let r = try BinaryRunner.run(["--stop-on-error", "-c", "configure terminal", "-c", "vlan 0",
                                      "-c", "hostname never", "-c", "do show running-config | include hostname"])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("line 2: vlan 0\n"))
    }

    @Test func withoutStopOnErrorTheBatchGoesOn() throws {
        let r = try BinaryRunner.run(["-c", "configure terminal", "-c", "vlan 0", "-c", "hostname later",
                                      "-c", "do show running-config | include hostname"])
        #expect(r.status == 1)
        #expect(r.stdout == "hostname \"later\"\n")
    }

    @Test func batchFileAndTrailingQuestionMark() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "batch-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        try "! comment\nshow ?\nsh?\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try BinaryRunner.run(["--batch", file.path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("  running-config     Current operating configuration\n"))
        #expect(r.stdout.hasSuffix("show\n"))
    }

    @Test func exitEndsTheBatch() throws {
        let r = try BinaryRunner.run([], stdin: "exit\nvlan 5000\n")
        #expect(r.status == 0)
        #expect(r.stderr == "")
    }

    @Test(arguments: [
        ["--bogus"], ["--ports"], ["--ports", "0"], ["--ports", "x"], ["--batch", "/nonexistent/file"],
        ["--batch", "a", "-c", "b"], ["extra"],
    ])
    func flagErrorsAreOneLineAndExitTwo(_ args: [String]) throws {
        let r = try BinaryRunner.run(args, stdin: "")
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("vmready: "))
        #expect(r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
    }

    @Test func helpAndVersion() throws {
        let h = try BinaryRunner.run(["--help"])
        #expect(h.status == 0)
        #expect(h.stdout.contains("--stop-on-error"))
        let v = try BinaryRunner.run(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout == "vmready 0.1.0\n")
    }
}
