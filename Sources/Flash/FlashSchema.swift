/// The flash database layout. `user_version` marks a database as ours and complete:
/// the schema is created in one transaction together with it.
enum FlashSchema {
    static let version = 1
    static let tables: Set<String> = ["startup", "archive"]

    /// `startup` holds at most one row (id 1): no row means erased or never saved.
    /// `archive.seq` is AUTOINCREMENT so it never reuses a number after rotation deletes
    /// old rows: ordering by it is ordering by save, even if the wall clock steps back.
    static let create = """
        CREATE TABLE startup (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            text TEXT NOT NULL
        );
        CREATE TABLE archive (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time REAL NOT NULL,
            size INTEGER NOT NULL,
            session TEXT NOT NULL,
            comment TEXT,
            text TEXT NOT NULL
        );
        PRAGMA user_version = \(version);
        """
}
