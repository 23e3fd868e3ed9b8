import Foundation

/// One saved configuration in the flash archive.
public struct ArchiveEntry: Sendable, Hashable {
    /// Position in the archive as it stands when read: 1 is the newest save, 2 the one
    /// before it, and so on up to 20. Numbers are not stable identities: every save
    /// shifts the existing entries up by one (what was 1 becomes 2), which is what
    /// `show archive N` and `configure replace archive N` mean by N.
    public let number: Int
    /// When the save committed (wall clock of the saving process).
    public let time: Date
    /// Size of `text` in bytes (UTF-8).
    public let size: Int
    /// The session that saved it (e.g. `console`, `ssh 10.0.0.1`).
    public let session: String
    /// The operator's comment, if the save had one.
    public let comment: String?
    /// The saved configuration, exactly as it was saved.
    public let text: String
}
