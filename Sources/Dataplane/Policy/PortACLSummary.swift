import Frames

/// A port's ACL list when every rule in it filters on the EtherType alone, the
/// usual shape of a port's list ("deny IPv6", "permit ARP"): its EtherTypes
/// and rule numbers packed four to a word, so matching the list is a few
/// compares of the frame's EtherType, with no rule to load.
struct PortACLSummary {
    /// Most rules a summary holds; longer lists are evaluated rule by rule.
    static let capacity = 4

    /// The rules' EtherTypes, the list's first rule in the low 16 bits.
    private var types: UInt64 = 0
    /// Their ACL numbers, in the same order.
    private var numbers: UInt64 = 0
    /// Bit `type & 63` of each rule's EtherType: a frame whose bit is clear matches
    /// no rule, which one test tells (IPv4, IPv6 and ARP have different bits).
    private var typeBits: UInt64 = 0
    /// Rules summarized; -1 when the list does not fit a summary.
    private(set) var count: Int8 = 0

    /// The list can only be evaluated rule by rule.
    static let general = PortACLSummary(count: -1)

    private init(count: Int8) { self.count = count }

    /// The summary of `list` (ACL numbers in order) given its compiled rules, or
    /// `general` when some rule filters on more than the EtherType or there are
    /// more than `capacity` rules.
    init(_ list: [UInt16], rules: UnsafePointer<CompiledACLRule>) {
        guard list.count <= PortACLSummary.capacity else {
            self = .general
            return
        }
        for (index, number) in list.enumerated() {
            let rule = rules[Int(number)]
            guard rule.filtersOnEtherTypeAlone else {
                self = .general
                return
            }
            types |= UInt64(rule.etherType) << (16 * index)
            numbers |= UInt64(number) << (16 * index)
            typeBits |= 1 << (rule.etherType & 63)
        }
        count = Int8(list.count)
    }

    /// The number of the first rule matching `etherType`, 0 when none does. The
    /// summary is not `general`.
    @inline(__always)
    func firstMatch(etherType: UInt16) -> Int {
        guard typeBits & (1 &<< UInt64(etherType & 63)) != 0 else { return 0 }
        var types = self.types
        var numbers = self.numbers
        var remaining = count
        while remaining > 0 {
            if UInt16(truncatingIfNeeded: types) == etherType { return Int(UInt16(truncatingIfNeeded: numbers)) }
            types &>>= 16
            numbers &>>= 16
            remaining &-= 1
        }
        return 0
    }
}
