import CSQLite
import Foundation

extension FlashStore {
    /// Opens the flash in `directory` (the state directory), creating it when there is
    /// none yet.
    ///
    /// An existing database is checked first (`PRAGMA integrity_check`, and that it
    /// holds the flash schema). A damaged or unreadable one is never replaced in place:
    /// it is renamed to `flash.db.damaged-YYYYMMDD-HHMMSS` (with its `-wal`/`-shm`), a
    /// fresh empty flash is created, and `notice` is a one-line console message saying
    /// so and where the old file went. `notice` is nil when nothing was wrong.
    ///
    /// Throws when the directory cannot be used at all, or the database is only busy
    /// (locked by another process), which is not damage.
    public static func open(directory: String) throws(FlashError) -> (store: FlashStore, notice: String?) {
        try FlashFiles.ensureDirectory(directory)
        let path = (directory as NSString).appendingPathComponent(fileName)
        var notice: String?

        if FlashFiles.exists(path) {
            do {
                try check(path)
            } catch {
                if let code = error.code, [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM].contains(code & 0xFF) {
                    throw error
                }
                let aside = try FlashFiles.moveAside(path)
                notice = "flash: \(path) is damaged (\(reason(error))); moved it aside to \(aside) "
                    + "and started an empty flash: there is no startup-config"
                try create(path)
            }
        } else {
            // A journal without its database would be replayed into the new file by
            // SQLite: it is somebody's data, so it moves aside rather than being lost.
            if FlashFiles.exists(path + "-wal") {
                let aside = try FlashFiles.moveAside(path)
                notice = "flash: \(path) was missing but its journal \(path)-wal remained; "
                    + "moved it aside to \(aside)-wal and started an empty flash"
            }
            try create(path)
        }

        let connection = try SQLiteConnection(path: path, create: false)
        try configure(connection)
        return (FlashStore(path: path, connection: connection), notice)
    }

    private static func reason(_ error: FlashError) -> String {
        let prefix = "flash: "
        let text = error.description
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    /// Checks an existing database without writing to it: read-only, so closing it
    /// cannot checkpoint a damaged journal into the file that is about to move aside.
    private static func check(_ path: String) throws(FlashError) {
        let connection = try SQLiteConnection(readOnlyPath: path)
        let result = try connection.column("PRAGMA integrity_check", "integrity check failed")
        guard result == ["ok"] else {
            throw FlashError("integrity check failed: " + result.prefix(3).joined(separator: "; "))
        }
        let version = try connection.column("PRAGMA user_version", "cannot read the schema version")
        let tables = try connection.column("SELECT name FROM sqlite_master WHERE type = 'table'",
                                           "cannot read the schema")
        guard version == ["\(FlashSchema.version)"], FlashSchema.tables.isSubset(of: Set(tables)) else {
            throw FlashError("not a flash database (schema missing)")
        }
    }

    /// Creates a complete flash under a temporary name and renames it into place, so
    /// `flash.db` either does not exist or is whole: a crash half way through creating
    /// it can never look like a damaged database at the next boot.
    private static func create(_ path: String) throws(FlashError) {
        let temporary = path + ".new"
        FlashFiles.remove(temporary)
        do {
            let connection = try SQLiteConnection(path: temporary, create: true)
            try configure(connection)
            try connection.transaction("cannot create the flash schema") { () throws(FlashError) in
                try connection.execute(FlashSchema.create, "cannot create the flash schema")
            }
            // Closing here (end of scope) checkpoints the journal into the file.
        }
        FlashFiles.remove(temporary + "-shm")
        try FlashFiles.rename(temporary, to: path)
        FlashFiles.syncDirectory(of: path)
    }

    /// WAL: readers never block a save, and a commit is one append to the journal.
    /// synchronous=FULL: the commit is fsynced before `save` returns, so a save the
    /// operator saw succeed survives power loss (NORMAL would only keep it consistent).
    private static func configure(_ connection: SQLiteConnection) throws(FlashError) {
        let mode = try connection.column("PRAGMA journal_mode = WAL", "cannot set the journal mode")
        guard mode == ["wal"] else {
            throw FlashError("cannot set the journal mode to WAL (got \(mode.joined()))")
        }
        try connection.execute("PRAGMA synchronous = FULL", "cannot set synchronous mode")
    }
}
