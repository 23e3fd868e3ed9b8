import Foundation
import Glibc

/// Opens the files the command line names to be read (`--batch`, `--startup-config`) and
/// says in one line why one cannot be: a directory opens fine and then reads nothing, which
/// would run an empty batch and exit 0 as if it had worked.
enum InputFiles {
    /// A descriptor open for reading on `path`, which is not a directory.
    static func open(_ path: String) -> Result<Int32, InputFileError> {
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

    /// The whole text of `path`.
    static func text(_ path: String) -> Result<String, InputFileError> {
        switch open(path) {
        case .failure(let error): return .failure(error)
        case .success(let fd):
            defer { Glibc.close(fd) }
            var data = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = Glibc.read(fd, &chunk, chunk.count)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return .failure(InputFileError(path: path, code: errno)) }
                if n == 0 { return .success(String(decoding: data, as: UTF8.self)) }
                data.append(contentsOf: chunk[0..<n])
            }
        }
    }
}

/// `cannot read PATH: Is a directory`.
struct InputFileError: Error, CustomStringConvertible {
    let path: String
    let code: Int32
    var description: String { "cannot read \(path): \(String(cString: strerror(code)))" }
}
