/// What a frame from a station reads and writes of its policy, in exactly one
/// cache line (the table's records are 64-byte aligned): whether learning it
/// again can be skipped, its deciding ACL rule and its (first two) ingress
/// buckets. The
/// rest of its policy and its location are its `StationAttributes`, read only
/// off the common path; its egress buckets are in `StationTable`'s policers
/// (few stations have them); what only queries and drops touch is its
/// `StationColdState`.
struct StationRecord {
    /// Bits of `StationAttributes.flags` (also in the station's `StationSlot`).
    static let tagged: UInt16 = 1
    /// Untagged frames from the station belong to its VLAN (`vlan != 0 && !tagged`).
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
    /// A direction has a third bucket, in `StationTable.thirdBuckets` (see `Policer`).
    static let ingressThirdBucket: UInt16 = 256
    static let egressThirdBucket: UInt16 = 512
    /// Never stored: `SourceClassification.flags` marks with it a station whose policy applies.
    static let onPolicyPort: UInt16 = 0x8000

    /// The station's MAC table entry as last learned or refreshed (`entryStamp`:
    /// its VLAN, port and switch second), when the table's epoch was
    /// `learnedEntryEpoch`; 0 when unknown (no entry has VLAN 0).
    var learnedEntry: UInt64 = 0
    var learnedEntryEpoch: UInt32 = 0
    /// With `sourceACLDecided`: the number of the rule deciding the station's frames.
    var sourceACLRule: UInt16 = 0
    private var reserved: UInt16 = 0
    /// The buckets of what the station sends (`ingressPolicing` says whether any is configured).
    var ingress: Policer
    private var padding: UInt64 = 0

    init(ingress: Policer) {
        self.ingress = ingress
    }

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
