/// A station's compiled policy and location, apart from what its frames touch
/// (its `StationRecord`): read when it is learned or moves, by the policy
/// path's general case, and for ACL lists that do not decide at once.
/// 16 bytes, four to a cache line.
struct StationAttributes {
    /// The station's VLAN, 0 = none.
    var vlan: UInt16
    /// The policy port the station is on, 0 = unknown or not on a policy port.
    var location: UInt16 = 0
    /// `StationRecord`'s flag bits.
    var flags: UInt16
    /// The station's active ACLs: `aclCount` numbers at `aclStart` in the table's list storage.
    var aclCount: UInt16
    var aclStart: UInt32
    /// Where the station was last learned (or hinted), policy port or not: it becomes
    /// the location again if its port is made a policy port.
    var learnedPort: UInt16 = 0
    /// Rules at the head of the station's list that cannot match its own frames
    /// (their source MAC filter excludes it): skipped when it is the source.
    var sourceACLSkip: UInt16 = 0

    @inline(__always) func has(_ flag: UInt16) -> Bool { flags & flag != 0 }
}
