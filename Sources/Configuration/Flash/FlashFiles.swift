import Foundation

/// File system steps around the database file: existence, moving a damaged file aside,
/// and making renames durable.
enum FlashFiles {
    /// SQLite's companion files in WAL mode; they belong to the database file and move
    /// with it.
    static let companions = ["-wal", "-shm"]

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    static func ensureDirectory(_ directory: String) throws(FlashError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FlashError("cannot create the state directory \(directory): \(error.localizedDescription)")
        }
    }

    static func remove(_ path: String) {
        for file in [path] + companions.map({ path + $0 }) { unlink(file) }
    }

    static func rename(_ from: String, to: String) throws(FlashError) {
        guard Foundation.rename(from, to) == 0 else {
            throw FlashError("cannot rename \(from) to \(to): \(String(cString: strerror(errno)))")
        }
    }

    /// Moves `path` and its companions to `path.damaged-YYYYMMDD-HHMMSS` (a `-2`, `-3`...
    /// suffix if that name is taken) and returns the new path. Renames only: the bytes
    /// stay exactly as they were, for whoever investigates.
    static func moveAside(_ path: String, now: Date = Date()) throws(FlashError) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let base = path + ".damaged-" + formatter.string(from: now)
        var target = base
        var attempt = 1
        while ([target] + companions.map({ target + $0 })).contains(where: exists) {
            attempt += 1
            target = base + "-\(attempt)"
        }
        for suffix in [""] + companions where exists(path + suffix) {
            try rename(path + suffix, to: target + suffix)
        }
        syncDirectory(of: path)
        return target
    }

    /// fsync of the directory makes a rename itself survive power loss (the file's own
    /// fsync does not cover its directory entry).
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
