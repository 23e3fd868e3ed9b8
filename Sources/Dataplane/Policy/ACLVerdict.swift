/// The outcome of evaluating one list of ACLs against a frame.
enum ACLVerdict {
    /// No active rule in the list matched: the next list decides (none left: permit).
    case noMatch
    case permit
    case deny
}
