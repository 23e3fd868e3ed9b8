import Foundation
import Glibc

/// Opens the files the switch is told to read (`--batch`, `--startup-config`, and that file
/// again on `reload`) and says in one line why one cannot be: a directory opens fine and
/// then reads nothing, which would run an empty batch or boot an empty configuration as if
/// it had worked.
public enum InputFiles {
    /// A descriptor open for reading on `path`, which is not a directory.
    public static func open(_ path: String) -> Result<Int32, InputFileError> {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(InputFileError(path: path, code: errno)) }
        var info = stat()
        if fstat(fd, &info) != 0 || info.st_mode & S_IFMT == S_IFDIR {
            let code = info.st_mode & S_IFMT == S_IFDIR ? EISDIR : errno
            Glibc.close(fd)
            return .failure(InputFileError(path: path, code: code))
        }
        return .success(fd)
    }

    /// The whole content of `path`.
    public static func data(_ path: String) -> Result<Data, InputFileError> {
        switch open(path) {
        case .failure(let error): return .failure(error)
        case .success(let fd):
            defer { Glibc.close(fd) }
            return readAll(fd, path: path)
        }
    }

    /// Everything left to read on `fd` (the file `path`), or why reading stopped.
    public static func readAll(_ fd: Int32, path: String) -> Result<Data, InputFileError> {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(InputFileError(path: path, code: errno)) }
            if n == 0 { return .success(data) }
            data.append(contentsOf: chunk[0..<n])
        }
    }
}

/// `cannot read PATH: Is a directory`.
public struct InputFileError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32
    public var description: String { "cannot read \(path): \(String(cString: strerror(code)))" }
}
