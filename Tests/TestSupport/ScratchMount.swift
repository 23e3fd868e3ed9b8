import Foundation

/// A small tmpfs mounted for one test (root only): a file system that fills up, or is
/// made read-only, without touching the machine's own. `unmount()` belongs in a `defer`
/// right after creating it, so a failing test never leaves a mount behind.
public final class ScratchMount {
    public struct MountError: Error, CustomStringConvertible {
        public let description: String
    }

    public let path: String

    /// Mounts a tmpfs of `kilobytes` (root only; tests check `isAvailable`).
    public init(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appending(path: "vmready-mount-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        do {
            try Self.mount(["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0755", "tmpfs", path])
        } catch {
            rmdir(path)
            throw error
        }
    }

    /// Mounting needs root (and a kernel that lets this process mount).
    public static var isAvailable: Bool { getuid() == 0 }

    /// Remounts the file system read-only: even root cannot write it then (a mode would
    /// not stop root).
    public func remountReadOnly() throws { try Self.mount(["-o", "remount,ro", path]) }

    public func remountReadWrite() throws { try Self.mount(["-o", "remount,rw", path]) }

    /// Fills the file system with `path/filler`, leaving `leaving` bytes free (rounded to
    /// pages by tmpfs).
    public func fill(leaving: Int = 0) throws {
        let filler = path + "/filler"
        // Close-on-exec: a child another test spawns meanwhile must not inherit the filler and
        // keep its space allocated after `empty()` unlinks it.
        let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MountError(description: "cannot create \(filler)") }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x55, count: 4096)
        var size = 0
        while true {
            let count = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            size += count
        }
        ftruncate(fd, off_t(max(0, size - leaving)))
    }

    /// Frees what `fill` took.
    public func empty() { unlink(path + "/filler") }

    /// Unmounts (lazily, should a process still hold a file) and removes the mount point.
    public func unmount() {
        try? Self.mount(["-o", "remount,rw", path])
        _ = try? Self.run("/bin/umount", ["-l", path])
        rmdir(path)
    }

    private static func mount(_ arguments: [String]) throws { try run("/bin/mount", arguments) }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let result = try ChildProcess.run(tool, arguments)
        guard result.status == 0 else {
            throw MountError(description: "\(tool) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
    }
}
