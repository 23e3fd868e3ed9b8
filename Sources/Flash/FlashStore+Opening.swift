import CSQLite
import Foundation

extension FlashStore {
    /// Opens the flash in `directory` (the state directory), creating it when there is
    /// none yet.
    ///
    /// An existing database is checked first (`PRAGMA integrity_check`, and that it
    /// holds the flash schema). A damaged one is never replaced in place: it is renamed
    /// to `flash.db.damaged-YYYYMMDD-HHMMSS` (with its `-wal`/`-shm`; only the newest
    /// few are kept), a fresh empty flash is created, and `notice` is a one-line console
    /// message saying so and where the old file went. `notice` is nil when nothing was
    /// wrong.
    ///
    /// Throws when the flash cannot be used now but is not damaged: the directory cannot
    /// be written (read-only, full), or the database is busy. Nothing is moved aside
    /// then, and nothing is left behind: a full disk is not a damaged flash.
    public static func open(directory: String) throws(FlashError) -> (store: FlashStore, notice: String?) {
        try StateDirectory.prepare(directory)
        let path = (directory as NSString).appendingPathComponent(fileName)
        var notice: String?
        // Only an interrupted creation leaves this: never flash, only in the way.
        FlashFiles.remove(path + ".new")

        if FlashFiles.exists(path) {
            StateDirectory.restrictOwnedFiles(in: directory)
            do {
                try check(path)
            } catch {
                guard isDamage(error) else { throw error }
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
        // SQLite opens a file it may not write read-only without a word: every save would
        // fail later. Such a flash is unusable now, not at the first `write memory`.
        if sqlite3_db_readonly(connection.handle, "main") == 1 {
            let why = access(path, W_OK) == 0 ? "SQLite opened it read-only" : String(cString: strerror(errno))
            throw FlashError("cannot write \(path): \(why)")
        }
        try configure(connection)
        return (FlashStore(path: path, connection: connection), notice)
    }

    /// The startup-config of a flash that `open` refused, read without changing anything
    /// (a read-only or full state directory): `.success(nil)` when there is none, a
    /// failure when it cannot be read either.
    public static func readStartupConfig(directory: String) -> Result<String?, FlashError> {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FlashFiles.exists(path) else { return .success(nil) }
        var failure = FlashError("cannot read \(path)")
        // Read-only first (it sees a journal's last commits); where SQLite cannot even
        // set up its shared memory (a read-only directory), as an immutable file.
        for immutable in [false, true] {
            do {
                let connection = try immutable ? SQLiteConnection(immutablePath: path) : SQLiteConnection(readOnlyPath: path)
                let query = try connection.prepare("SELECT text FROM startup WHERE id = 1")
                return .success(try query.step("cannot read the startup-config") ? query.text(0) : nil)
            } catch {
                failure = error
            }
        }
        return .failure(failure)
    }

    /// Damage is what SQLite or the checks say about the file's contents; anything else
    /// (cannot open, I/O error, full, read-only, busy) is about the moment, and moving the
    /// file aside for it would throw a good flash away.
    private static func isDamage(_ error: FlashError) -> Bool {
        guard let code = error.code else { return true }
        return [SQLITE_CORRUPT, SQLITE_NOTADB].contains(code & 0xFF)
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
    ///
    /// The schema is written with a rollback journal, straight into the file: in WAL mode
    /// a full disk could let the commit land in `flash.db.new-wal` and fail the checkpoint
    /// that moves it into the file, leaving an empty database and an orphaned journal.
    /// Any failure removes every temporary file; WAL mode is set on the real open.
    private static func create(_ path: String) throws(FlashError) {
        let temporary = path + ".new"
        FlashFiles.remove(temporary)
        do throws(FlashError) {
            try FlashFiles.createPrivate(temporary)
            do {
                let connection = try SQLiteConnection(path: temporary, create: false)
                try connection.execute("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL",
                                       "cannot create the flash")
                try connection.transaction("cannot create the flash schema") { () throws(FlashError) in
                    try connection.execute(FlashSchema.create, "cannot create the flash schema")
                }
            }
            if let left = FlashFiles.companions.first(where: { FlashFiles.exists(temporary + $0) }) {
                throw FlashError("cannot create the flash: SQLite left \(temporary + left) behind")
            }
            try FlashFiles.rename(temporary, to: path)
        } catch {
            FlashFiles.remove(temporary)
            throw error
        }
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
        // What is deleted or replaced (an erased startup-config, a rotated save) is
        // overwritten with zeros, not left readable in free pages.
        try connection.execute("PRAGMA secure_delete = ON", "cannot set secure delete")
    }
}
