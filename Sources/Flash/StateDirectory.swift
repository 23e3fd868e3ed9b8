import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The state directory and the modes of the switch's files in it.
///
/// Flash holds the whole configuration and the enable secret's hash: no other local user
/// may read it. The directory the switch creates is 0700, or 0750 with group `vmready`
/// when that group exists (its members connect through the control socket in it); the
/// switch's files are 0600 and its directories 0700, whatever the umask.
public enum StateDirectory {
    /// The group whose members may reach the switch (as the control socket uses it).
    public static let operatorGroup = "vmready"

    /// Creates `path` (and missing parents) when it does not exist.
    ///
    /// An existing directory keeps its mode here: `--state-dir` may name a directory the
    /// operator chose and shares. What the switch keeps in it is private by its own mode
    /// (`restrictOwnedFiles`), which also tightens a directory the switch has used before.
    public static func prepare(_ path: String) throws(FlashError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw FlashError("\(path) is not a directory") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw FlashError("cannot create the state directory \(path): \(error.localizedDescription)")
            }
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw FlashError("cannot create the state directory \(path): \(String(cString: strerror(errno)))")
        }
        if let gid = groupID(operatorGroup), chown(path, uid_t.max, gid) == 0 {
            chmod(path, 0o750)
        } else {
            chmod(path, 0o700)
        }
    }

    /// Takes group and other permissions off a file (or directory) the switch owns, if
    /// it exists: an older version left flash 0644, and a copy by hand may have too.
    /// Best effort: on a read-only file system the mode stays, and nothing is written
    /// there either.
    public static func restrict(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK, info.st_mode & 0o077 != 0 else { return }
        chmod(path, info.st_mode & S_IFMT == S_IFDIR ? 0o700 : 0o600)
    }

    /// The switch's own files in `directory` that must be private: flash and its
    /// journal files, the console history, the files directory. The directory itself,
    /// when it is one the switch has used (it holds flash) and this user owns, loses
    /// group write and every permission of others: older versions created it 0755. The
    /// group keeps read and search, as members of `vmready` reach the control socket
    /// through it; a sticky directory (`/tmp` as a state directory) is left alone.
    public static func restrictOwnedFiles(in directory: String) {
        var info = stat()
        if stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
           info.st_mode & S_ISVTX == 0, info.st_mode & 0o027 != 0,
           FlashFiles.exists((directory as NSString).appendingPathComponent(FlashStore.fileName)) {
            chmod(directory, info.st_mode & 0o7777 & ~0o027)
        }
        for name in [FlashStore.fileName] + FlashFiles.companions.map({ FlashStore.fileName + $0 })
            + ["history", "files"] {
            restrict((directory as NSString).appendingPathComponent(name))
        }
    }

    static func groupID(_ name: String) -> gid_t? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.gr_gid
    }
}
