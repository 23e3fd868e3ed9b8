/// What learning a source address did to the MAC table.
public enum LearnResult: Hashable, Sendable {
    /// Already known on this port; its age was reset.
    case refreshed
    /// A new entry.
    case learned
    /// The entry moved from the given port to the new one.
    case moved(from: Int)
    /// Not learned: the table holds `limit` dynamic entries and the bounded
    /// search for one to evict found none (see `MACTable+Eviction`).
    case tableFull
    /// Not learned: the port holds as many dynamic entries as its limit allows
    /// (a station moving onto it loses its entry).
    case portLimit
    /// Not changed: a static entry owns this (VLAN, MAC).
    case staticEntry
}
