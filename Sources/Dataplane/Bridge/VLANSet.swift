/// A set of VLAN IDs 1...4094, stored as a 4096-bit bitmap.
public struct VLANSet: Hashable, Sendable, CustomStringConvertible {
    /// The valid VLAN IDs.
    public static let validRange: ClosedRange<UInt16> = 1...4094

    private var words: [UInt64]

    /// The empty set.
    public init() { words = Array(repeating: 0, count: 64) }

    /// Every valid VLAN, 1...4094. Built once: it is the default of every trunk port, compared
    /// against on every configuration render.
    public static let all = VLANSet(VLANSet.validRange)

    /// A set of the given IDs; IDs outside 1...4094 are ignored.
    public init(_ vlans: some Sequence<UInt16>) {
        self.init()
        for vlan in vlans { insert(vlan) }
    }

    /// True when `vlan` is in the set.
    public func contains(_ vlan: UInt16) -> Bool {
        guard VLANSet.validRange.contains(vlan) else { return false }
        return words[Int(vlan >> 6)] & (1 << UInt64(vlan & 63)) != 0
    }

    /// Adds `vlan` (ignored outside 1...4094).
    public mutating func insert(_ vlan: UInt16) {
        guard VLANSet.validRange.contains(vlan) else { return }
        words[Int(vlan >> 6)] |= 1 << UInt64(vlan & 63)
    }

    /// Removes `vlan`.
    public mutating func remove(_ vlan: UInt16) {
        guard VLANSet.validRange.contains(vlan) else { return }
        words[Int(vlan >> 6)] &= ~(1 << UInt64(vlan & 63))
    }

    /// The members common to both sets.
    public func intersection(_ other: VLANSet) -> VLANSet {
        var result = self
        for index in 0..<64 { result.words[index] &= other.words[index] }
        return result
    }

    /// The members of either set.
    public func union(_ other: VLANSet) -> VLANSet {
        var result = self
        for index in 0..<64 { result.words[index] |= other.words[index] }
        return result
    }

    /// The members of this set that are not in `other`.
    public func subtracting(_ other: VLANSet) -> VLANSet {
        var result = self
        for index in 0..<64 { result.words[index] &= ~other.words[index] }
        return result
    }

    /// True when the set has no members.
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// Number of members.
    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The members in ascending order. Walks the set bits, not all 4094 IDs: configuration
    /// rendering and `show vlan` call this for every port.
    public var members: [UInt16] {
        var result: [UInt16] = []
        for (index, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                result.append(UInt16(index * 64 + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return result
    }

    /// The members as maximal ascending ranges, e.g. `[1...10, 20...20]`.
    public var ranges: [ClosedRange<UInt16>] {
        var result: [ClosedRange<UInt16>] = []
        var current: ClosedRange<UInt16>?
        for vlan in members {
            if let range = current, range.upperBound + 1 == vlan {
                current = range.lowerBound...vlan
            } else {
                if let range = current { result.append(range) }
                current = vlan...vlan
            }
        }
        if let range = current { result.append(range) }
        return result
    }

    /// The compact list form used in configuration, e.g. `1-10,20`.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}
