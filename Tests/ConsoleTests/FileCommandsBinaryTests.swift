import Foundation
import Testing

/// `copy startup-config file NAME` and `copy file NAME startup-config` read and write only
/// in `STATE/files/`: no absolute path, no `..`, no symbolic link out of it, and so never
/// the switch's own files (flash, its lock, its socket).
@Suite struct FileCommandsBinaryTests {
    let state = FileManager.default.temporaryDirectory.appending(path: "vmready-files-\(UUID().uuidString)")
    var files: URL { state.appending(path: "files") }

    func run(_ commands: [String], _ flags: [String] = []) throws -> BinaryRunner.Result {
        try BinaryRunner.run(flags + commands.flatMap { ["-c", $0] }, stateDirectory: state)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: state) }

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    @Test func pathsOutsideTheFilesDirectoryAreRefused() throws {
        defer { cleanUp() }
        let outside = FileManager.default.temporaryDirectory.appending(path: "vmready-outside-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outside) }
        try "precious\n".write(to: outside, atomically: true, encoding: .utf8)
        _ = try run(["configure terminal", "hostname flash-tor", "end", "write memory"])
        let flashBefore = try Data(contentsOf: state.appending(path: "flash.db"))

        for (name, reason) in [
            (outside.path, "absolute paths are refused"),
            ("../flash.db", "'..' is refused"),
            ("../vmready.lock", "'..' is refused"),
            ("sub/../../flash.db", "'..' is refused"),
            ("sub/file.cfg", "subdirectories are refused"),
            (".hidden", "hidden names are refused"),
        ] {
            for command in ["copy startup-config file \"\(name)\" force", "copy file \"\(name)\" startup-config force"] {
                let r = try run([command])
                #expect(r.status == 1, "\(command)")
                #expect(r.stderr.split(separator: "\n").last == "% \(name): \(reason); files are read and written in \(files.path) only",
                        "\(command): \(r.stderr)")
            }
        }
        #expect(try String(contentsOf: outside, encoding: .utf8) == "precious\n")
        #expect(try Data(contentsOf: state.appending(path: "flash.db")) == flashBefore)
        #expect(try run(["show startup-config | include hostname"]).stdout == "hostname \"flash-tor\"\n")
    }

    @Test func theSwitchsOwnFileNamesOnlyReachTheFilesDirectory() throws {
        defer { cleanUp() }
        _ = try run(["configure terminal", "hostname own-files", "end", "write memory"])
        let r = try run(["copy startup-config file flash.db force", "copy startup-config file vmready.lock force",
                         "copy startup-config file vmready.sock force"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["flash.db", "vmready.lock", "vmready.sock"] {
            #expect(try String(contentsOf: files.appending(path: name), encoding: .utf8).contains("hostname \"own-files\""))
        }
        // Flash is whole, and a second switch on the directory is still refused by the lock.
        let again = try run(["show startup-config | include hostname"])
        #expect(again.stdout == "hostname \"own-files\"\n", "\(again.stderr)")
    }

    @Test func symbolicLinksOutOfTheFilesDirectoryAreRefused() throws {
        defer { cleanUp() }
        let outside = FileManager.default.temporaryDirectory.appending(path: "vmready-target-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outside) }
        try "hostname \"outside\"\n".write(to: outside, atomically: true, encoding: .utf8)
        _ = try run(["configure terminal", "hostname linked", "end", "write memory"])
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: files.appending(path: "link.cfg").path, withDestinationPath: outside.path)

        let export = try run(["copy startup-config file link.cfg force"])
        #expect(export.status == 1)
        #expect(export.stderr.hasSuffix("% \(files.path)/link.cfg is a symbolic link: refused\n"), "\(export.stderr)")
        let importing = try run(["copy file link.cfg startup-config force"])
        #expect(importing.status == 1)
        #expect(importing.stderr.hasSuffix("% \(files.path)/link.cfg is a symbolic link: refused\n"), "\(importing.stderr)")
        #expect(try String(contentsOf: outside, encoding: .utf8) == "hostname \"outside\"\n")
        #expect(try run(["show startup-config | include hostname"]).stdout == "hostname \"linked\"\n")

        // The files directory itself as a link out is refused too.
        try FileManager.default.removeItem(at: files)
        let elsewhere = FileManager.default.temporaryDirectory.appending(path: "vmready-elsewhere-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: files.path, withDestinationPath: elsewhere.path)
        let viaLink = try run(["copy startup-config file x.cfg"])
        #expect(viaLink.stderr.hasSuffix("% \(files.path) is not a directory: refused\n"), "\(viaLink.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path) == [])
    }

    @Test func writtenFilesArePrivateAndWhole() throws {
        defer { cleanUp() }
        _ = try run(["configure terminal", "hostname private", "end", "write memory"])
        #expect(try run(["copy startup-config file saved.cfg"]).status == 0)
        #expect(Self.mode(files.path) == 0o700)
        #expect(Self.mode(files.appending(path: "saved.cfg").path) == 0o600)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: files.path) == ["saved.cfg"])
    }

    /// A clear-text secret in an imported file is hashed before it reaches flash: not in
    /// `show startup-config`, the archive, or the database's bytes.
    @Test func anImportedClearSecretIsHashedBeforeItIsStored() throws {
        defer { cleanUp() }
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        try """
            hostname "secretive"
            enable secret "Plain-Text-One"
            vlan 100
                    ena sec Plain-Text-Two
                    exit

            """.write(to: files.appending(path: "secret.cfg"), atomically: true, encoding: .utf8)
        let r = try run(["copy file secret.cfg startup-config", "show startup-config", "show archive 1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("Plain-Text"))
        #expect(r.stdout.components(separatedBy: "enable secret 9 \"$y$").count == 5, "\(r.stdout)")
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: state.appending(path: "flash.db" + suffix))) ?? Data()
            #expect(bytes.range(of: Data("Plain-Text".utf8)) == nil, "flash.db\(suffix)")
        }
        // The last secret of the file is the one that boots.
        let login = try run(["disable", "enable", "Plain-Text-Two", "show running-config | include hostname"])
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout == "hostname \"secretive\"\n")
    }
}
