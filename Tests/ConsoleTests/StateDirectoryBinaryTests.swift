import Foundation
import Testing
import TestSupport

/// The state directory holds the configuration and the enable secret's hash: what the
/// switch creates and keeps there is private to its owner.
@Suite struct StateDirectoryPermissionTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    @Test func whatTheSwitchCreatesIsPrivate() throws {
        let parent = FileManager.default.temporaryDirectory.appending(path: "vmready-perm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let state = parent.appending(path: "state")
        let r = try BinaryRunner.run(["-c", "write memory", "-c", "copy startup-config file saved.cfg"], stateDirectory: state,
                                     createState: false)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.mode(state.path) == (getgrnam("vmready") != nil ? 0o750 : 0o700))
        #expect(Self.mode(state.appending(path: "flash.db").path) == 0o600)
        #expect(Self.mode(state.appending(path: "files").path) == 0o700)
        #expect(Self.mode(state.appending(path: "files/saved.cfg").path) == 0o600)
    }

    @Test func tooOpenModesAreTightenedAtStart() throws {
        let state = FileManager.default.temporaryDirectory.appending(path: "vmready-perm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        #expect(try BinaryRunner.run(["-c", "write memory", "-c", "copy startup-config file saved.cfg"],
                                     stateDirectory: state).status == 0)
        for (name, mode) in [("", 0o755), ("flash.db", 0o644), ("files", 0o755), ("history", 0o644)] as [(String, mode_t)] {
            let path = state.appending(path: name).path
            if name == "history" { _ = FileManager.default.createFile(atPath: path, contents: Data("show vlan\n".utf8)) }
            chmod(path, mode)
        }
        #expect(try BinaryRunner.run(["-c", "show startup-config"], stateDirectory: state).status == 0)
        // An older version's 0755 state directory: no access for others, no group write.
        #expect(Self.mode(state.path) == 0o750)
        #expect(Self.mode(state.appending(path: "flash.db").path) == 0o600)
        #expect(Self.mode(state.appending(path: "history").path) == 0o600)
        #expect(Self.mode(state.appending(path: "files").path) == 0o700)
    }
}

/// The switch always comes up: on a full or read-only state directory it boots from what
/// flash still lets it read, says so once, and refuses `write memory` until flash works.
@Suite(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"))
struct FlashUnusableBinaryTests {
    static func leftovers(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.contains(".new") || $0.contains("damaged") || $0.hasSuffix("-journal") || $0 == "vmready.sock" }
    }

    @Test(arguments: [0, 8, 16, 32, 64])
    func aFullStateDirectory(freeKilobytes: Int) throws {
        let mount = try ScratchMount(kilobytes: 512)
        defer { mount.unmount() }
        let state = URL(fileURLWithPath: mount.path + "/state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: false)
        try mount.fill(leaving: freeKilobytes * 1024)
        let commands = ["configure terminal", "hostname full-tor", "end", "write memory", "show running-config | include hostname"]
        let r = try BinaryRunner.run(commands.flatMap { ["-c", $0] }, stateDirectory: state)
        #expect(r.stdout.hasSuffix("hostname \"full-tor\"\n"), "the switch came up: \(r.stderr)")
        if r.status != 0 {
            // Refused in one line, with the reason and no doubled prefix.
            let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("%") }
            #expect(errors.count == 1 && errors[0].hasPrefix("% Flash"), "\(r.stderr)")
            #expect(!r.stderr.lowercased().contains("flash: flash") && !r.stderr.contains("malformed"), "\(r.stderr)")
        }
        #expect(Self.leftovers(state.path) == [])

        // With room again, the next start saves and boots from flash.
        mount.empty()
        #expect(try BinaryRunner.run(["-c", "configure terminal", "-c", "hostname roomy", "-c", "end", "-c", "write memory"],
                                     stateDirectory: state).status == 0)
        let again = try BinaryRunner.run(["-c", "show running-config | include hostname"], stateDirectory: state)
        #expect(again.stdout == "hostname \"roomy\"\n", "\(again.stderr)")
        #expect(Self.leftovers(state.path) == [])
    }

    @Test func aFullStateDirectoryStillBootsFromFlash() throws {
        let mount = try ScratchMount(kilobytes: 512)
        defer { mount.unmount() }
        let state = URL(fileURLWithPath: mount.path + "/state")
        #expect(try BinaryRunner.run(["-c", "configure terminal", "-c", "hostname saved-before", "-c", "end", "-c", "write memory"],
                                     stateDirectory: state).status == 0)
        try mount.fill()
        for _ in 0..<3 {
            let r = try BinaryRunner.run(["-c", "show running-config | include hostname"], stateDirectory: state)
            #expect(r.stdout == "hostname \"saved-before\"\n", "\(r.stderr)")
        }
        // A full disk is not damage: nothing was moved aside, at any start.
        #expect(Self.leftovers(state.path) == [])
    }

    @Test func aReadOnlyStateDirectory() throws {
        let mount = try ScratchMount(kilobytes: 512)
        defer { mount.unmount() }
        let state = URL(fileURLWithPath: mount.path + "/state")
        #expect(try BinaryRunner.run(["-c", "configure terminal", "-c", "hostname read-only", "-c", "end", "-c", "write memory"],
                                     stateDirectory: state).status == 0)
        try mount.remountReadOnly()
        let r = try BinaryRunner.run(["-c", "show running-config | include hostname", "-c", "write memory",
                                      "-c", "show logging | include flash"], stateDirectory: state)
        #expect(r.stdout.hasPrefix("hostname \"read-only\"\n"), "\(r.stderr)")
        let notices = r.stderr.split(separator: "\n").filter { $0.hasPrefix("flash: unusable (") }
        #expect(notices.count == 1, "\(r.stderr)")
        #expect(notices.first?.hasSuffix("; booting from the startup-config it holds; 'write memory' is refused until flash works") == true)
        #expect(r.stderr.contains("line 2: write memory\n% Flash is unusable ("), "\(r.stderr)")
        #expect(r.stdout.contains("flash: unusable ("), "show logging has the notice: \(r.stdout)")
        #expect(r.status == 1)
    }
}
