import CSQLite

/// A prepared statement: bind, step, read columns. Finalized on deinit.
///
/// Not Sendable on purpose: statements live only inside one locked use of the
/// connection (see `FlashStore`).
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: OpaquePointer

    init(database: OpaquePointer, sql: String) throws(FlashError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(database, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw FlashError("cannot prepare \(sql.prefix(40))", code: code,
                             detail: String(cString: sqlite3_errmsg(database)))
        }
        self.handle = statement
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard let text = value else {
            sqlite3_bind_null(handle, index)
            return
        }
        // SQLITE_TRANSIENT (-1): SQLite copies the bytes, as the Swift buffer is
        // only valid inside the closure. The C macro is not imported into Swift.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        // withCString: never a null pointer (which SQLite would bind as NULL for an
        // empty string); the explicit length keeps any embedded NUL byte.
        text.withCString { bytes in
            _ = sqlite3_bind_text(handle, index, bytes, Int32(text.utf8.count), transient)
        }
    }

    func bind(_ index: Int32, _ value: Double) {
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    /// Steps once; true when a row is available, false when the statement is done.
    func step(_ action: String) throws(FlashError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw FlashError(action, code: code, detail: String(cString: sqlite3_errmsg(database)))
        }
    }

    /// Runs a statement that returns no rows.
    func run(_ action: String) throws(FlashError) {
        while try step(action) {}
    }

    func text(_ column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL,
              let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func double(_ column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }
}
