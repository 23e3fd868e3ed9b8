/// What learning a source address did to the MAC table.
public enum LearnResult: Hashable, Sendable {
    /// Already known on this port; its age was reset.
    case refreshed
    /// A new entry.
    case learned
    /// The entry moved from the given port to the new one.
    case moved(from: Int)
    /// Not learned: the table holds `limit` dynamic entries.
    case tableFull
    /// Not changed: a static entry owns this (VLAN, MAC).
    case staticEntry
}
