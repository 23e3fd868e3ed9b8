import Frames

/// What the client tells the switch, in order, on the client's thread.
public enum PolicyDBEvent: Sendable, Hashable {
    /// Connected (at start or after an outage), schema migrated: re-resolve every VM.
    /// `.vsiTypes` follows at once.
    case connected(schemaVersion: Int)
    /// Lost or could not connect: once per change of state (the retries are in `status()`).
    /// Cached answers stay in force, stale.
    case down(reason: String)
    /// The profile for a VM asked about with `resolve` (nil: no assignment applies).
    case resolved(mac: MACAddress, profile: PolicyProfile?)
    /// The whole VSI type table and the profiles it names: after each (re)connect and each
    /// change of VSI types or profiles. The switch mirrors it for its synchronous VDP lookup.
    case vsiTypes([VSITypeRow], profiles: [String: PolicyProfile])
    /// Profiles or assignments changed (NOTIFY): re-resolve the VMs.
    case changed
    /// A row skipped because it cannot be used (table, key, why).
    case badRow(String)
    /// A statement failed without losing the connection (a statement timeout while a lock is
    /// held): the answer asked for stays stale.
    case queryFailed(String)
}
