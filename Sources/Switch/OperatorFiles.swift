import CommandEngine
import Console
import Flash
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files CLI commands name (`copy startup-config file NAME`, `copy file NAME
/// startup-config`): all of them in one directory of the state directory, `STATE/files/`.
///
/// The switch may run as root. A path the operator types must not reach anything else:
/// not a root-owned file elsewhere, not `flash.db`, `vmready.lock` or `vmready.sock` next
/// to it (overwriting them destroys flash, defeats the single-instance lock or locks every
/// operator out). So a name is one plain file name: no `/`, no `..`, no hidden name, and
/// it is opened relative to the directory with `O_NOFOLLOW`, so a symbolic link placed in
/// the directory is refused rather than followed. Writes go to a temporary file in the
/// directory and are renamed over the name: a reader never sees half a file.
struct OperatorFiles {
    static let directoryName = "files"
    /// NAME_MAX on Linux file systems.
    static let longestName = 255

    /// `STATE/files`.
    let directory: String

    init(stateDirectory: String) {
        directory = (stateDirectory as NSString).appendingPathComponent(Self.directoryName)
    }

    /// Refuses anything but a plain file name, with the reason in one line.
    func check(_ name: String) throws(CommandFailure) {
        let inside = "files are read and written in \(directory) only"
        if name.isEmpty { throw CommandFailure("A file name is needed; \(inside)") }
        if name.hasPrefix("/") { throw CommandFailure("\(name): absolute paths are refused; \(inside)") }
        if name.split(separator: "/").contains("..") { throw CommandFailure("\(name): '..' is refused; \(inside)") }
        if name.contains("/") { throw CommandFailure("\(name): subdirectories are refused; \(inside)") }
        if name.hasPrefix(".") { throw CommandFailure("\(name): hidden names are refused; \(inside)") }
        if ControlCharacters.firstRefused(in: name) != nil {
            throw CommandFailure("File names cannot hold control characters")
        }
        if name.utf8.count > Self.longestName {
            throw CommandFailure("File names are at most \(Self.longestName) bytes")
        }
    }

    /// The full path of `name`, for messages.
    func path(_ name: String) -> String { directory + "/" + name }

    /// The bytes of the regular file `name`.
    func read(_ name: String) throws(CommandFailure) -> Data {
        try check(name)
        let dir = try openDirectory(create: false)
        defer { close(dir) }
        // O_NONBLOCK: a FIFO put there must not hang the session; it is refused below.
        let fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw failure("Cannot read", name) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw CommandFailure("Cannot read \(path(name)): not a regular file")
        }
        switch InputFiles.readAll(fd, path: path(name)) {
        case .success(let data): return data
        case .failure(let error): throw CommandFailure(error.description.capitalizedFirst)
        }
    }

    /// Writes `data` as `name` (mode 0600), atomically; an existing file is replaced
    /// only when `replacing`, and never when it is a link or not a regular file.
    func write(_ data: Data, to name: String, replacing: Bool) throws(CommandFailure) {
        try check(name)
        let dir = try openDirectory(create: true)
        defer { close(dir) }
        var info = stat()
        if fstatat(dir, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            guard info.st_mode & S_IFMT != S_IFLNK else { throw CommandFailure("\(path(name)) is a symbolic link: refused") }
            guard info.st_mode & S_IFMT == S_IFREG else { throw CommandFailure("\(path(name)) is not a regular file: refused") }
            guard replacing else { throw CommandFailure("\(path(name)) exists; add 'force' to overwrite it") }
        }
        let temporary = ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = openat(dir, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("Cannot write", name) }
        var written = true
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { written = false; return }
                offset += count
            }
        }
        let synced = written && fsync(fd) == 0
        let error = errno
        close(fd)
        guard synced else {
            unlinkat(dir, temporary, 0)
            throw CommandFailure("Cannot write \(path(name)): \(String(cString: strerror(error)))")
        }
        // Without `force`, link(2) refuses an existing name atomically (a file that
        // appeared since the check above is not overwritten); with it, rename replaces.
        let placed = replacing ? renameat(dir, temporary, dir, name) : linkat(dir, temporary, dir, name, 0)
        let placeError = errno
        if !replacing || placed != 0 { unlinkat(dir, temporary, 0) }
        guard placed == 0 else {
            if placeError == EEXIST { throw CommandFailure("\(path(name)) exists; add 'force' to overwrite it") }
            throw CommandFailure("Cannot write \(path(name)): \(String(cString: strerror(placeError)))")
        }
        fsync(dir)
    }

    /// The directory, opened without following a link; created 0700 when `create`.
    /// A directory another user owns is refused: they could swap the files in it.
    private func openDirectory(create: Bool) throws(CommandFailure) -> Int32 {
        if create && mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw CommandFailure("Cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw CommandFailure("Cannot read \(directory): no file has been written there yet") }
            if errno == ELOOP || errno == ENOTDIR { throw CommandFailure("\(directory) is not a directory: refused") }
            throw CommandFailure("Cannot open \(directory): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_uid == geteuid() else {
            close(fd)
            throw CommandFailure("\(directory) belongs to another user: refused")
        }
        // An older switch, or a hand-made directory, may have left it open to others.
        if info.st_mode & 0o077 != 0 { fchmod(fd, 0o700) }
        return fd
    }

    private func failure(_ verb: String, _ name: String) -> CommandFailure {
        if errno == ELOOP { return CommandFailure("\(path(name)) is a symbolic link: refused") }
        return CommandFailure("\(verb) \(path(name)): \(String(cString: strerror(errno)))")
    }
}

extension VMreadySwitch {
    /// The files directory (`STATE/files`), or why there is none.
    func operatorFiles() throws(CommandFailure) -> OperatorFiles {
        guard let stateDirectory else { throw CommandFailure("No files: this switch runs without a state directory") }
        return OperatorFiles(stateDirectory: stateDirectory)
    }
}
