import CSQLite
import Foundation

/// An open SQLite database handle, closed on deinit.
///
/// Not Sendable: `FlashStore` owns it inside a `Mutex`, which is what makes
/// concurrent use from several sessions safe.
final class SQLiteConnection {
    let handle: OpaquePointer

    /// Opens `path`; creates the file only when `create` is set, so checking an existing
    /// database can never conjure up an empty one in its place.
    convenience init(path: String, create: Bool) throws(FlashError) {
        try self.init(path: path, flags: SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0))
    }

    /// Opens `path` for reading only: checking a database must not change it.
    convenience init(readOnlyPath path: String) throws(FlashError) {
        try self.init(path: path, flags: SQLITE_OPEN_READONLY)
    }

    /// Opens `path` as a file nobody changes, without shared memory or locks: the only
    /// way to read a WAL database in a directory SQLite cannot write. It sees what the
    /// file holds, not commits still in its journal.
    convenience init(immutablePath path: String) throws(FlashError) {
        let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        try self.init(path: "file:" + escaped + "?immutable=1", flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                      shownAs: path)
    }

    private init(path: String, flags: Int32, shownAs: String? = nil) throws(FlashError) {
        var database: OpaquePointer?
        let code = sqlite3_open_v2(path, &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            let detail = database.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(database)
            throw FlashError("cannot open \(shownAs ?? path)", code: code, detail: detail)
        }
        handle = database
        // Another process (or a stuck checkpoint) holding the lock briefly must not
        // fail a save outright.
        sqlite3_busy_timeout(database, 5_000)
    }

    deinit {
        // close_v2 defers the close until any stray statement is finalized; all of
        // ours are finalized by their own deinit before this one runs.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String, _ action: String) throws(FlashError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(action, code: code) }
    }

    func prepare(_ sql: String) throws(FlashError) -> SQLiteStatement {
        try SQLiteStatement(database: handle, sql: sql)
    }

    /// The first column of every row of a query, as text.
    func column(_ sql: String, _ action: String) throws(FlashError) -> [String] {
        let statement = try prepare(sql)
        var values: [String] = []
        while try statement.step(action) {
            values.append(statement.text(0) ?? "")
        }
        return values
    }

    /// Runs `body` in an immediate transaction: committed when it returns, rolled back
    /// when it throws. IMMEDIATE takes the write lock up front, so a busy database
    /// waits in BEGIN instead of failing half way through.
    func transaction<T>(_ action: String, _ body: () throws(FlashError) -> T) throws(FlashError) -> T {
        try execute("BEGIN IMMEDIATE", action)
        do {
            let result = try body()
            try execute("COMMIT", action)
            return result
        } catch {
            // Rollback can only fail if there is no transaction left to undo.
            _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    func error(_ action: String, code: Int32) -> FlashError {
        FlashError(action, code: code, detail: String(cString: sqlite3_errmsg(handle)))
    }
}
