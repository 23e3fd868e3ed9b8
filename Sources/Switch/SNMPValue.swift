/// A value the switch serves over SNMP, in SMI terms (RFC 2578).
enum SNMPValue: Hashable, Sendable {
    case integer(Int)
    /// Gauge32 / Unsigned32.
    case gauge(UInt32)
    case counter32(UInt32)
    case counter64(UInt64)
    case timeticks(UInt32)
    case octets([UInt8])
    case oid([UInt32])

    static func string(_ text: String) -> SNMPValue { .octets(Array(text.utf8)) }

    /// A 64-bit count as a Counter32: it wraps, as the MIBs define it.
    static func counter32(wrapping count: UInt64) -> SNMPValue { .counter32(UInt32(truncatingIfNeeded: count)) }
}

/// One INDEX object's value of a table row.
enum SNMPIndexValue: Hashable, Sendable {
    case integer(Int)
    case gauge(UInt32)
    case timeticks(UInt32)
    /// The last index, of fixed length (a MAC address): its octets without a length.
    case impliedOctets([UInt8])
}

/// One conceptual row: its INDEX values and a value for every column the table serves.
/// A scalar group is one row without index, its columns the scalars' sub-identifiers.
struct SNMPRow: Hashable, Sendable {
    var index: [SNMPIndexValue]
    var columns: [UInt32: SNMPValue]
}
