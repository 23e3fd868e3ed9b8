import Glibc

/// Who runs this process, as the kernel knows it: the name of the real uid. Never `$USER`,
/// which any caller sets to anything (`USER=admin vmready -c ...`) and which the log and
/// the archive would then repeat as if it were true.
public enum LocalUser {
    /// The login name of the real uid; `uid N` without a passwd entry.
    public static var name: String { name(of: getuid()) }

    /// The login name of `uid`; `uid N` without a passwd entry.
    public static func name(of uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil,
              let name = entry.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
