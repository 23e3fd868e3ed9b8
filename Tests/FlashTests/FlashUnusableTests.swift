import Flash
import Foundation
import Testing
import TestSupport

/// Flash on a state directory that is full or read-only: `open` throws without moving a
/// good flash aside or leaving temporary files, and what the flash holds stays readable.
@Suite(.enabled(if: ScratchMount.isAvailable, "mounting a tmpfs needs root"))
struct FlashUnusableTests {
    /// Leftovers that would pile up or shadow flash at the next start.
    static func leftovers(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.contains(".new") || $0.contains("damaged") || $0.hasSuffix("-journal") }
    }

    /// Every amount of free space, from none to enough: opening either works or throws,
    /// and never leaves an orphaned journal or a half-created `flash.db.new`.
    @Test(arguments: [0, 4, 8, 12, 16, 24, 32, 48, 64, 128])
    func creatingOnAFullDiskLeavesNothingBehind(freeKilobytes: Int) throws {
        let mount = try ScratchMount(kilobytes: 512)
        defer { mount.unmount() }
        let directory = mount.path + "/state"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try mount.fill(leaving: freeKilobytes * 1024)
        do {
            let (store, notice) = try FlashStore.open(directory: directory)
            #expect(notice == nil)
            #expect(try store.startupConfig() == nil)
        } catch {
            #expect(!error.description.contains("\n"))
            #expect(!error.description.contains("malformed"), "\(error)")
        }
        #expect(try Self.leftovers(directory) == [])
        // With room again the flash works, whatever the full disk did to it.
        mount.empty()
        let (store, notice) = try FlashStore.open(directory: directory)
        #expect(notice == nil)
        try store.save("hostname after\n", by: "test", comment: nil)
        #expect(try store.startupConfig() == "hostname after\n")
        #expect(try Self.leftovers(directory) == [])
    }

    @Test func aFullDiskIsNotDamage() throws {
        let mount = try ScratchMount(kilobytes: 512)
        defer { mount.unmount() }
        let directory = mount.path + "/state"
        do {
            let (store, _) = try FlashStore.open(directory: directory)
            try store.save("hostname kept\n", by: "test", comment: nil)
        }
        try mount.fill()
        for _ in 0..<3 {
            if let (store, _) = try? FlashStore.open(directory: directory) {
                #expect(try store.startupConfig() == "hostname kept\n")
            }
            #expect(try FlashStore.readStartupConfig(directory: directory).get() == "hostname kept\n")
        }
        #expect(try Self.leftovers(directory) == [])
        mount.empty()
        let (store, notice) = try FlashStore.open(directory: directory)
        #expect(notice == nil)
        #expect(try store.startupConfig() == "hostname kept\n")
    }

    @Test func aReadOnlyFlashIsReadButNotOpened() throws {
        let mount = try ScratchMount(kilobytes: 512)
        defer { mount.unmount() }
        let directory = mount.path + "/state"
        do {
            let (store, _) = try FlashStore.open(directory: directory)
            try store.save("hostname read-only\n", by: "test", comment: nil)
        }
        try mount.remountReadOnly()
        #expect(throws: FlashError.self) { try FlashStore.open(directory: directory) }
        #expect(try FlashStore.readStartupConfig(directory: directory).get() == "hostname read-only\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["flash.db"])
    }
}

/// Flash holds the configuration and the enable secret's hash: only its owner reads it.
@Suite struct FlashPermissionTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    @Test func flashAndItsJournalsArePrivateWhateverTheUmask() throws {
        let directory = try TemporaryDirectory()
        let previous = umask(0o022)
        defer { umask(previous) }
        let (store, _) = try FlashStore.open(directory: directory.path)
        try store.save("hostname private\n", by: "test", comment: nil)
        for suffix in ["", "-wal", "-shm"] {
            #expect(Self.mode(directory.database + suffix) == 0o600, "flash.db\(suffix)")
        }
    }

    @Test func anOpenFlashIsMadePrivate() throws {
        let directory = try TemporaryDirectory()
        do {
            let (store, _) = try FlashStore.open(directory: directory.path)
            try store.save("hostname was-open\n", by: "test", comment: nil)
        }
        chmod(directory.database, 0o644)
        let (store, _) = try FlashStore.open(directory: directory.path)
        #expect(Self.mode(directory.database) == 0o600)
        #expect(try store.startupConfig() == "hostname was-open\n")
    }

    @Test func aStateDirectoryItCreatesIsPrivate() throws {
        let parent = try TemporaryDirectory()
        let directory = parent.path + "/new/state"
        _ = try FlashStore.open(directory: directory)
        let hasGroup = getgrnam("vmready") != nil
        #expect(Self.mode(directory) == (hasGroup ? 0o750 : 0o700))
    }
}
