import CSQLite
import Foundation
import Synchronization

/// The switch's flash: the startup-config and an archive of the last 20 saves, in one
/// SQLite database (`flash.db` in the state directory).
///
/// Every save is one SQLite transaction in WAL mode with `synchronous=FULL`: a crash or
/// power loss at any moment leaves either the previous or the new startup-config, never
/// a mix. `open(directory:)` checks the database and moves a damaged one aside.
///
/// Thread safety: sessions run on their own threads and may save at the same time. The
/// SQLite handle and its statements are not safe to share unguarded, so the handle lives
/// in a `Mutex` and every operation holds it for its whole duration (a save is a few
/// milliseconds). That makes the store `Sendable`, checked by the compiler.
public final class FlashStore: Sendable {
    /// How many saves the archive keeps; older ones are deleted by the save that
    /// pushes them out.
    public static let archiveLimit = 20
    /// The database file's name inside the state directory.
    public static let fileName = "flash.db"

    /// The database file's full path.
    public let path: String
    private let connection: Mutex<SQLiteConnection>

    init(path: String, connection: consuming sending SQLiteConnection) {
        self.path = path
        self.connection = Mutex(connection)
    }

    /// Saves `config` as the startup-config and adds it to the archive, in one
    /// transaction: both happen or neither does. `session` names who saved it;
    /// `comment` is the operator's optional note.
    public func save(_ config: String, by session: String, comment: String?) throws(FlashError) {
        let time = Date().timeIntervalSince1970
        try locked { database throws(FlashError) in
            try database.transaction("cannot save") { () throws(FlashError) in
                let startup = try database.prepare("INSERT OR REPLACE INTO startup (id, text) VALUES (1, ?)")
                startup.bind(1, config)
                try startup.run("cannot save the startup-config")

                let entry = try database.prepare(
                    "INSERT INTO archive (time, size, session, comment, text) VALUES (?, ?, ?, ?, ?)")
                entry.bind(1, time)
                entry.bind(2, config.utf8.count)
                entry.bind(3, session)
                entry.bind(4, comment)
                entry.bind(5, config)
                try entry.run("cannot archive the save")

                let rotate = try database.prepare(
                    "DELETE FROM archive WHERE seq NOT IN (SELECT seq FROM archive ORDER BY seq DESC LIMIT ?)")
                rotate.bind(1, Self.archiveLimit)
                try rotate.run("cannot rotate the archive")
            }
        }
    }

    /// Rewrites every saved text (the startup-config and each archive entry) that
    /// `transform` changes, in one transaction; true when any changed. For text an older
    /// version stored that must not stay (a clear-text secret): with `secure_delete` on,
    /// the old bytes are overwritten, not left in free pages.
    public func rewrite(_ transform: (String) -> String) throws(FlashError) -> Bool {
        try locked { database throws(FlashError) in
            try database.transaction("cannot rewrite flash") { () throws(FlashError) -> Bool in
                var changed = false
                let startup = try database.prepare("SELECT text FROM startup WHERE id = 1")
                // Transformed once: hashing a secret is deliberately slow, and salted anew each time.
                if try startup.step("cannot read the startup-config"), let text = startup.text(0),
                   case let new = transform(text), new != text {
                    let update = try database.prepare("UPDATE startup SET text = ? WHERE id = 1")
                    update.bind(1, new)
                    try update.run("cannot rewrite the startup-config")
                    changed = true
                }
                let entries = try database.prepare("SELECT seq, text FROM archive")
                var rewritten: [(seq: Int, text: String)] = []
                while try entries.step("cannot read the archive") {
                    let text = entries.text(1) ?? ""
                    let new = transform(text)
                    if new != text { rewritten.append((entries.int(0), new)) }
                }
                for entry in rewritten {
                    let update = try database.prepare("UPDATE archive SET text = ?, size = ? WHERE seq = ?")
                    update.bind(1, entry.text)
                    update.bind(2, entry.text.utf8.count)
                    update.bind(3, entry.seq)
                    try update.run("cannot rewrite the archive")
                }
                return changed || !rewritten.isEmpty
            }
        }
    }

    /// The saved startup-config, or nil when it was erased or never saved.
    public func startupConfig() throws(FlashError) -> String? {
        try locked { database throws(FlashError) in
            let query = try database.prepare("SELECT text FROM startup WHERE id = 1")
            return try query.step("cannot read the startup-config") ? query.text(0) : nil
        }
    }

    /// Erases the startup-config (the next boot starts from defaults). The archive stays.
    public func erase() throws(FlashError) {
        try locked { database throws(FlashError) in
            try database.execute("DELETE FROM startup", "cannot erase the startup-config")
        }
    }

    /// The archive, newest first, numbered from 1 (see `ArchiveEntry.number`).
    public func archive() throws(FlashError) -> [ArchiveEntry] {
        try locked { database throws(FlashError) in
            try Self.entries(database, limit: Self.archiveLimit, offset: 0, first: 1)
        }
    }

    /// Archive entry `number` (1 is the newest save), or nil if there is no such entry.
    public func archived(_ number: Int) throws(FlashError) -> ArchiveEntry? {
        guard number >= 1 else { return nil }
        return try locked { database throws(FlashError) in
            try Self.entries(database, limit: 1, offset: number - 1, first: number).first
        }
    }

    private static func entries(_ database: SQLiteConnection, limit: Int, offset: Int,
                                first: Int) throws(FlashError) -> [ArchiveEntry] {
        let query = try database.prepare(
            "SELECT time, size, session, comment, text FROM archive ORDER BY seq DESC LIMIT ? OFFSET ?")
        query.bind(1, limit)
        query.bind(2, offset)
        var entries: [ArchiveEntry] = []
        while try query.step("cannot read the archive") {
            entries.append(ArchiveEntry(number: first + entries.count,
                                        time: Date(timeIntervalSince1970: query.double(0)),
                                        size: query.int(1), session: query.text(2) ?? "",
                                        comment: query.text(3), text: query.text(4) ?? ""))
        }
        return entries
    }

    /// Runs `body` with the connection while holding the lock.
    private func locked<T: Sendable>(_ body: (SQLiteConnection) throws(FlashError) -> T) throws(FlashError) -> T {
        try connection.withLock { (database: inout sending SQLiteConnection) throws(FlashError) -> T in
            try body(database)
        }
    }
}
