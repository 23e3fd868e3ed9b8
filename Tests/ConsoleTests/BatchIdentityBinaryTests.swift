import Foundation
import Testing

/// Who a local batch is comes from the kernel (the real uid), never from `$USER`, which the
/// caller sets to anything: the log and the archive name the session by it.
@Suite struct BatchIdentityBinaryTests {
    static var me: String { String(cString: getpwuid(getuid()).pointee.pw_name) }

    @Test func aBatchIsNamedForItsRealUserNotForUSER() throws {
        let r = try BinaryRunner.run(["-c", "configure terminal", "-c", "enable secret abcd", "-c", "do show logging"],
                                     environment: ["USER": "intruder", "LOGNAME": "intruder"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("enable secret changed by batch (\(Self.me))"), "\(r.stdout)")
        #expect(!r.stdout.contains("intruder"), "\(r.stdout)")
    }

    @Test func aBatchFileThatIsADirectoryIsAFlagError() throws {
        let dir = FileManager.default.temporaryDirectory.appending(path: "vmready-batchdir-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for flag in ["--batch", "--startup-config"] {
            let r = try BinaryRunner.run([flag, dir.path] + (flag == "--batch" ? [] : ["-c", "show version"]))
            #expect(r.status == 2, "\(flag): \(r.status) \(r.stderr)")
            #expect(r.stderr == "vmready: cannot read \(dir.path): Is a directory\n", "\(flag): \(r.stderr)")
        }
    }
}
