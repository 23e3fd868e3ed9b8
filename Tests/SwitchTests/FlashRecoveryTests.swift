import Flash
import Console
import Foundation
import Switch
import Testing
import TestSupport

/// A switch whose flash fails: it comes up, says so once, refuses `write memory` with one
/// clean line and works again as soon as flash does.
@Suite(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"))
struct FlashRecoveryTests {
    @Test func writeMemoryOpensFlashAgainOnceTheDiskHasRoom() throws {
        let mount = try ScratchMount(kilobytes: 512)
        defer { mount.unmount() }
        let state = mount.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
        try mount.fill()

        let sw = try VMreadySwitch(SwitchOptions(portCount: 4, stateDirectory: state))
        let notice = try #require(sw.flashNotice)
        #expect(notice.hasPrefix("flash: unusable ("))
        #expect(notice.hasSuffix("; booting with the default configuration; 'write memory' is refused until flash works"))
        #expect(sw.eventLog.events().filter { $0.message == notice }.count == 1)
        let shell = try sw.shell(kind: .batch)
        _ = shell.run("configure terminal")
        _ = shell.run("hostname retried")
        let refused = try #require(shell.run("do write memory").error?.message)
        #expect(refused.hasPrefix("% Flash is unusable ("), "\(refused)")
        #expect(refused.hasSuffix("); nothing was read or saved"))
        #expect(!refused.contains("\n") && !refused.lowercased().contains("flash: flash"))

        mount.empty()
        #expect(shell.run("do write memory").output == ["Configuration saved."])
        #expect(try FlashStore.open(directory: state).store.startupConfig()?.contains("hostname \"retried\"") == true)
    }

    /// A save that the disk cannot hold fails with SQLite's reason, prefixed once.
    @Test func aFailedSaveIsOneCleanLine() throws {
        let mount = try ScratchMount(kilobytes: 512)
        defer { mount.unmount() }
        let state = mount.path + "/state"
        let sw = try VMreadySwitch(SwitchOptions(portCount: 4, stateDirectory: state))
        #expect(sw.flashNotice == nil)
        let shell = try sw.shell(kind: .batch)
        _ = shell.run("configure terminal")
        for number in 1...40 { _ = shell.run("vlan \(number)"); _ = shell.run("name \"\(String(repeating: "v", count: 60))\"") }
        _ = shell.run("end")
        try mount.fill()
        var message: String?
        for _ in 0..<20 where message == nil { message = shell.run("write memory").error?.message }
        let failure = try #require(message)
        #expect(failure.hasPrefix("% Flash: cannot "), "\(failure)")
        #expect(!failure.lowercased().contains("flash: flash"))
    }
}

/// Configuration text from flash with CRLF endings and a byte-order mark (an imported file
/// saved by an older switch) boots and replaces like any other.
@Suite struct FlashTextTests {
    @Test func crlfAndAByteOrderMarkInFlashAreAccepted() throws {
        let state = FileManager.default.temporaryDirectory.appending(path: "vmready-crlf-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let text = "\u{FEFF}hostname \"crlf-tor\"\r\nvlan 100\r\n        name \"web\"\r\n        exit\r\n"
        try FlashStore.open(directory: state).store.save(text, by: "test", comment: nil)

        let sw = try VMreadySwitch(SwitchOptions(portCount: 4, stateDirectory: state))
        let report = try #require(try sw.boot(startupConfigFile: nil))
        #expect(report.failures == [] && report.lineCount == 4)
        #expect(sw.hostname == "crlf-tor")
        let shell = try sw.shell(kind: .batch)
        _ = shell.run("configure terminal")
        _ = shell.run("hostname other")
        _ = shell.run("end")
        #expect(shell.run("configure replace archive 1").error == nil)
        #expect(sw.hostname == "crlf-tor")
    }
}

/// A clear-text secret an older switch stored in flash (through `copy file`) is hashed in
/// place when flash opens: `show startup-config` and the archive never show it again, and
/// its bytes are gone from the database.
@Suite struct LegacyClearSecretTests {
    @Test func aClearSecretInFlashIsHashedWhenFlashOpens() throws {
        let state = FileManager.default.temporaryDirectory.appending(path: "vmready-legacy-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        do {
            let (store, _) = try FlashStore.open(directory: state)
            try store.save("hostname \"old\"\n", by: "console", comment: nil)
            try store.save("hostname \"old\"\nenable secret Legacy-Clear-Text\n", by: "console", comment: "imported")
        }
        do {
            let sw = try VMreadySwitch(SwitchOptions(portCount: 4, stateDirectory: state))
            #expect(sw.flashNotice == "flash: a clear-text enable secret an older version stored was hashed in place")
            let shell = try sw.shell(kind: .batch)
            for command in ["show startup-config", "show archive 1"] {
                let output = shell.run(command).output
                #expect(!output.joined().contains("Legacy-Clear-Text"))
                #expect(output.contains { $0.hasPrefix("enable secret 9 \"$y$") }, "\(command): \(output)")
            }
            #expect(shell.run("show archive 2").output == ["hostname \"old\""])
        }
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: state + "/flash.db" + suffix))) ?? Data()
            #expect(bytes.range(of: Data("Legacy-Clear-Text".utf8)) == nil, "flash.db\(suffix)")
        }
        // Once hashed, opening again changes nothing.
        #expect(try VMreadySwitch(SwitchOptions(portCount: 4, stateDirectory: state)).flashNotice == nil)
    }
}

/// `enable secret 9` takes a yescrypt hash in crypt(3)'s exact format and nothing else.
@Suite struct EnableSecretHashTests {
    static let good = "$y$j9T$eKKj9hwVtIf14ZTiPMZrh.$cowl50458PTN.GDxUOyn0rBsGl.7zogPO.w0Ozrn194"

    @Test(arguments: [
        "$y$j9T$eKKj9hwVtIf14ZTiPMZrh.$cowl50458PTN",                       // hash cut short
        good + "x",                                                         // one character too many
        "$y$j9T$eKKj9hwVtIf14ZTiPMZrh.$cowl50458PTN.GDxUOyn0rBsGl.7zogPO.w0Ozrn19!",  // not the alphabet
        "$y$j9T$$cowl50458PTN.GDxUOyn0rBsGl.7zogPO.w0Ozrn194",              // no salt
        "$y$$eKKj9hwVtIf14ZTiPMZrh.$cowl50458PTN.GDxUOyn0rBsGl.7zogPO.w0Ozrn194",  // no parameters
        "$y$j9T$eKKj9hwVtIf14ZTiPMZrh.",                                    // a setting, no hash
        "$y$",
        "$y$j9T$eKKj9hwVtIf14ZTiPMZrh.$cowl50458PTN.GDxUOyn0rBsGl.7zogPO.w0Ozrn194$extra",
        " " + good,
        "$6$saltsalt$0123456789012345678901234567890123456789012345678901234567890123456789012345678901",  // SHA-512
        "$1$saltsalt$0123456789012345678901",                               // MD5
        "ab01234567890",                                                    // DES
    ])
    func malformedHashesAreRefused(_ hash: String) throws {
        let sw = try VMreadySwitch(portCount: 4)
        let shell = try sw.shell(kind: .batch)
        _ = shell.run("configure terminal")
        let error = shell.run("enable secret 9 \"\(hash)\"").error?.message
        #expect(error?.hasPrefix("% Not a crypt(3) hash") == true, "\(hash): \(error ?? "accepted")")
        #expect(sw.runningConfig().allSatisfy { !$0.contains("enable secret") })
    }

    @Test func aWellFormedHashIsTakenAndReplays() throws {
        let sw = try VMreadySwitch(portCount: 4)
        let shell = try sw.shell(kind: .batch)
        _ = shell.run("configure terminal")
        #expect(shell.run("enable secret 9 \"\(Self.good)\"").error == nil)
        #expect(sw.runningConfig().contains("enable secret 9 \"\(Self.good)\""))
    }
}
