import Frames
import SwitchTypes

/// The neighbours LLDP heard, per port and agent, keyed by (chassis ID, port ID) and aged
/// by the TTL each LLDPDU carries (802.1AB's remote systems MIB). Bounded per port and in
/// total: a neighbour past either bound is not stored, only counted (`tooManyNeighbors`),
/// so a port spraying chassis IDs cannot grow the table. Generic over what is kept of a
/// neighbour (`Info`: its decoded TLVs), so the table's rules read on their own.
public struct LLDPNeighborTable<Info: Equatable & Sendable>: Sendable {
    /// What identifies a neighbour.
    public struct Key: Hashable, Sendable {
        public var port: Int
        public var agent: LLDPAgentKind
        public var chassisID: LLDPChassisID
        public var portID: LLDPPortID

        public init(port: Int, agent: LLDPAgentKind, chassisID: LLDPChassisID, portID: LLDPPortID) {
            self.port = port
            self.agent = agent
            self.chassisID = chassisID
            self.portID = portID
        }
    }

    /// One neighbour.
    public struct Entry: Sendable {
        public var key: Key
        public var info: Info
        /// The `Index` column: given when first heard, never reused while the table lives.
        public var index: Int
        public var firstHeard: Timestamp
        public var lastHeard: Timestamp
        /// When it ages out unless heard again.
        public var expires: Timestamp
    }

    /// Why a neighbour went.
    public enum Removal: Hashable, Sendable {
        /// It sent a shutdown LLDPDU (TTL 0).
        case shutdown
        /// Its TTL ran out.
        case agedOut
        /// The port went down or stopped receiving.
        case portStopped
    }

    /// What an LLDPDU or the clock did to the table: the events `show logging` and the
    /// subscribers (VM manager, vNICs) get.
    public enum Change: Sendable {
        case added(Entry)
        case changed(Entry)
        case removed(Entry, Removal)
    }

    /// Per-port counters (802.1AB's remote table statistics).
    public struct Counters: Hashable, Sendable {
        public var inserts = 0
        public var deletes = 0
        /// Neighbours not stored because the port or the table was full.
        public var drops = 0
        public var ageouts = 0

        public init() {}
    }

    public let perPortLimit: Int
    public let totalLimit: Int
    public private(set) var entries: [Key: Entry] = [:]
    private var countByPort: [Int: Int] = [:]
    private var nextIndex = 1
    public private(set) var counters: [Int: Counters] = [:]

    public init(perPortLimit: Int = 32, totalLimit: Int = 4_096) {
        self.perPortLimit = max(1, perPortLimit)
        self.totalLimit = max(1, totalLimit)
    }

    /// Records an LLDPDU from `key` heard at `now` with `ttl` seconds (0: the neighbour
    /// is going). Returns what changed; nil when a known neighbour said the same again, or
    /// when a new one found no room (counted as a drop).
    public mutating func heard(_ key: Key, info: Info, ttlSeconds: Int, at now: Timestamp) -> Change? {
        guard ttlSeconds > 0 else {
            guard let gone = remove(key) else { return nil }
            return .removed(gone, .shutdown)
        }
        let expires = Timestamp(nanoseconds: now.nanoseconds + Int64(ttlSeconds) * 1_000_000_000)
        if var entry = entries[key] {
            let changed = entry.info != info
            entry.info = info
            entry.lastHeard = now
            entry.expires = expires
            entries[key] = entry
            return changed ? .changed(entry) : nil
        }
        guard countByPort[key.port, default: 0] < perPortLimit, entries.count < totalLimit else {
            counters[key.port, default: Counters()].drops += 1
            return nil
        }
        let entry = Entry(key: key, info: info, index: nextIndex, firstHeard: now, lastHeard: now, expires: expires)
        nextIndex += 1
        entries[key] = entry
        countByPort[key.port, default: 0] += 1
        counters[key.port, default: Counters()].inserts += 1
        return .added(entry)
    }

    /// Removes the neighbours whose TTL ran out by `now`.
    public mutating func expire(at now: Timestamp) -> [Change] {
        let due = entries.values.filter { $0.expires <= now }.sorted { $0.index < $1.index }
        return due.compactMap { entry in
            guard let gone = remove(entry.key) else { return nil }
            counters[entry.key.port, default: Counters()].ageouts += 1
            return .removed(gone, .agedOut)
        }
    }

    /// Forgets every neighbour of `port` (link down, receive turned off).
    public mutating func removeAll(port: Int) -> [Change] {
        let here = entries.values.filter { $0.key.port == port }.sorted { $0.index < $1.index }
        return here.compactMap { entry in remove(entry.key).map { .removed($0, .portStopped) } }
    }

    /// When the next neighbour ages out (the agent's deadline for `expire`).
    public var nextExpiry: Timestamp? { entries.values.lazy.map(\.expires).min() }

    /// The neighbours, by port, agent and index (the order of `show lldp remote-device`).
    public var sorted: [Entry] {
        entries.values.sorted { ($0.key.port, $0.key.agent, $0.index) < ($1.key.port, $1.key.agent, $1.index) }
    }

    /// Zeroes the counters (`clear lldp statistics`).
    public mutating func clearCounters() { counters = [:] }

    private mutating func remove(_ key: Key) -> Entry? {
        guard let entry = entries.removeValue(forKey: key) else { return nil }
        countByPort[key.port, default: 1] -= 1
        if countByPort[key.port] == 0 { countByPort[key.port] = nil }
        counters[key.port, default: Counters()].deletes += 1
        return entry
    }
}
