/// One station's compiled policy and its per-frame state, laid out in exactly
/// two cache lines (the table's records are 64-byte aligned): the first holds
/// what the forwarding path reads and writes for a frame from or to the
/// station, the second its ingress buckets, so a frame from the station finds
/// both in one 128-byte block. Its egress buckets live in `StationTable`'s
/// policers, few stations having them; what only queries and drops touch lives
/// in its `StationColdState`.
struct StationRecord {
    /// Bits of `flags`.
    static let tagged: UInt16 = 1
    /// Untagged frames from the station belong to `vlan` (`vlan != 0 && !tagged`).
    static let classifies: UInt16 = 2
    static let ingressPolicing: UInt16 = 4
    static let egressPolicing: UInt16 = 8
    /// `learnedPort` comes from the dataplane's own learning (else from the hint).
    static let learned: UInt16 = 16
    /// The first rule of the station's source list (see `sourceACLSkip`) matches every
    /// frame the station sends: the list's verdict is that rule's, with no matching.
    static let sourceACLDecided: UInt16 = 32
    /// With `sourceACLDecided`: the deciding rule (`sourceACLRule`) denies, and counts its hits.
    static let sourceACLDenies: UInt16 = 64
    static let sourceACLCounts: UInt16 = 128
    /// Never stored: `SourceClassification.flags` marks with it a station whose policy applies.
    static let onPolicyPort: UInt16 = 0x8000

    /// The station's VLAN, 0 = none.
    var vlan: UInt16
    /// The policy port the station is on, 0 = unknown or not on a policy port.
    var location: UInt16
    var flags: UInt16
    /// The station's active ACLs: `count` numbers at `aclStart` in the table's list storage.
    var aclCount: UInt16
    var aclStart: UInt32
    /// Where the station was last learned (or hinted), policy port or not: it becomes
    /// the location again if its port is made a policy port.
    var learnedPort: UInt16
    /// Rules at the head of the station's list that cannot match its own frames
    /// (their source MAC filter excludes it): skipped when it is the source.
    var sourceACLSkip: UInt16 = 0
    /// The station's MAC table entry as last learned or refreshed (`entryStamp`:
    /// its VLAN, port and switch second), when the table's epoch was
    /// `learnedEntryEpoch`; 0 when unknown (no entry has VLAN 0).
    var learnedEntry: UInt64 = 0
    var learnedEntryEpoch: UInt32 = 0
    /// With `sourceACLDecided`: the number of the rule deciding the station's frames.
    var sourceACLRule: UInt16 = 0
    private var reserved: UInt16 = 0
    /// The rest of the first line, so the ingress buckets start the second.
    private var padding: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The buckets of what the station sends (`ingressPolicing` says whether any is configured).
    var ingress: Policer

    init(vlan: UInt16, flags: UInt16, aclStart: UInt32, aclCount: UInt16, ingress: Policer) {
        self.ingress = ingress
        self.vlan = vlan
        self.location = 0
        self.flags = flags
        self.aclCount = aclCount
        self.aclStart = aclStart
        self.learnedPort = 0
    }

    @inline(__always) func has(_ flag: UInt16) -> Bool { flags & flag != 0 }

    /// `learnedEntry`'s form of an entry in `vlan` on `port`, seen in switch second `second`.
    @inline(__always)
    static func entryStamp(vlan: UInt16, port: Int, second: UInt32) -> UInt64 {
        UInt64(vlan) &<< 48 | UInt64(UInt16(truncatingIfNeeded: port)) &<< 32 | UInt64(second)
    }

    /// True when learning the station again would change nothing in the MAC table:
    /// it learned or refreshed the entry `stamp` describes (`entryStamp`: same
    /// VLAN, same port, this very second, so the entry's time is current), and
    /// the table has removed, moved or rewritten no entry since (its epoch is the
    /// same). The forwarding path then skips the table's probe for the source.
    @inline(__always)
    func isEntryCurrent(_ stamp: UInt64, epoch: UInt32) -> Bool {
        learnedEntry == stamp && learnedEntryEpoch == epoch
    }

    /// Notes that the station's entry `stamp` describes was just learned or refreshed.
    @inline(__always)
    mutating func cacheEntry(_ stamp: UInt64, epoch: UInt32) {
        learnedEntry = stamp
        learnedEntryEpoch = epoch
    }
}
