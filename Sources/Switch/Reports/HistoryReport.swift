import Console

/// `show history`: the session's own command history, oldest first.
struct HistoryReport: ShowReport {
    /// As history keeps them: a secret typed in a line is masked.
    var commands: [String]

    var lines: [String] { commands.map { "  " + $0 } }
}
