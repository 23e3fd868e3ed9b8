import Glibc

/// A Unix socket path as `bind` and `connect` take it. sun_path holds 107 bytes; a longer
/// path (a deep state directory) is reached through the directory's descriptor
/// (`/proc/self/fd/N/vmready.sock`), which Linux resolves like the path itself.
enum UnixSocketAddress {
    struct TooLong: Error {}

    static func with<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) throws(TooLong) -> T {
        var effective = path
        var directoryFD: Int32 = -1
        defer { if directoryFD >= 0 { close(directoryFD) } }
        if path.utf8.count >= 108, let slash = path.lastIndex(of: "/") {
            directoryFD = open(String(path[..<slash]), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directoryFD >= 0 { effective = "/proc/self/fd/\(directoryFD)" + path[slash...] }
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(effective.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw TooLong() }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
