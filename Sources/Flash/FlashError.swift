/// A flash (startup-config database) failure, as one console line.
///
/// The message names what was being done and, when SQLite reported the failure, its
/// own error text, so an operator can tell a full disk from a locked or damaged file.
public struct FlashError: Error, CustomStringConvertible, Sendable {
    /// The one-line message, e.g. `flash: cannot save: database or disk is full (SQLite 13)`.
    public let description: String
    /// SQLite's result code, when SQLite reported the failure: opening tells a busy
    /// database (try again) from a damaged one (move it aside) by it.
    let code: Int32?

    /// A failure described by `message` alone (file system steps, schema checks).
    public init(_ message: String) {
        description = "flash: " + message
        code = nil
    }

    /// A failure of `action` that SQLite reported with result `code` and text `detail`.
    init(_ action: String, code: Int32, detail: String) {
        description = "flash: \(action): \(detail) (SQLite \(code))"
        self.code = code
    }
}
