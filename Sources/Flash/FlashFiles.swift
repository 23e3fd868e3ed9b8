import Foundation

/// File system steps around the database file: existence, moving a damaged file aside,
/// and making renames durable.
enum FlashFiles {
    /// SQLite's companion files (WAL mode, and the rollback journal a database is
    /// created with); they belong to the database file and move with it.
    static let companions = ["-wal", "-shm", "-journal"]
    /// How many damaged flashes stay beside the live one: enough to investigate a
    /// recurring fault, never a pile that fills the disk.
    static let damagedKept = 3

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Creates an empty file only the owner can read: SQLite gives its journal files the
    /// database file's mode, so the whole flash is private from its first byte.
    static func createPrivate(_ path: String) throws(FlashError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FlashError("cannot create \(path): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        close(fd)
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
    /// stay exactly as they were, for whoever investigates. Only the newest
    /// `damagedKept` damaged flashes stay.
    static func moveAside(_ path: String, now: Date = Date()) throws(FlashError) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stamp = formatter.string(from: now)
        let base = path + ".damaged-" + stamp
        // Past every attempt taken this second, not into a gap pruning left: the newest
        // move must sort newest.
        var attempt = (damaged(path).filter { $0.stamp == stamp }.map(\.attempt).max() ?? 0) + 1
        var target = attempt == 1 ? base : base + "-\(attempt)"
        while ([target] + companions.map({ target + $0 })).contains(where: exists) {
            attempt += 1
            target = base + "-\(attempt)"
        }
        for suffix in [""] + companions where exists(path + suffix) {
            try rename(path + suffix, to: target + suffix)
        }
        syncDirectory(of: path)
        for old in damaged(path).dropFirst(damagedKept) {
            remove(((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(old.name))
        }
        return target
    }

    /// The damaged flashes beside `path` (`flash.db.damaged-YYYYMMDD-HHMMSS[-N]`), newest
    /// first: by time, then attempt.
    static func damaged(_ path: String) -> [(name: String, stamp: String, attempt: Int)] {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".damaged-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) && !companions.contains(where: $0.hasSuffix) }
            .compactMap { name -> (name: String, stamp: String, attempt: Int)? in
                let parts = name.dropFirst(prefix.count).split(separator: "-")
                guard parts.count == 2 || parts.count == 3 else { return nil }
                return (name, parts[0] + "-" + parts[1], parts.count == 3 ? Int(parts[2]) ?? 0 : 1)
            }
            .sorted { ($0.stamp, $0.attempt) > ($1.stamp, $1.attempt) }
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
