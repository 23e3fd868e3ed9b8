import HashTreeCollections

/// A VM group's members in the order they were added (the order the running-config and
/// `show virt vmgroup` list them in), held in a persistent hash tree: adding, removing or
/// finding a member costs O(log n) even in the copy of the configuration a command edits.
public struct VMMemberList: Sendable, Sequence, ExpressibleByArrayLiteral {
    /// Each member and its place in the order of adding.
    private var places: TreeDictionary<VMReference, Int> = [:]
    private var nextPlace = 0

    public init() {}

    public init(arrayLiteral members: VMReference...) {
        for member in members { insert(member) }
    }

    public var count: Int { places.count }
    public var isEmpty: Bool { places.isEmpty }

    public func contains(_ member: VMReference) -> Bool { places[member] != nil }

    /// Adds `member` at the end; false when it was already there (its place is kept).
    @discardableResult
    public mutating func insert(_ member: VMReference) -> Bool {
        guard places[member] == nil else { return false }
        places[member] = nextPlace
        nextPlace += 1
        return true
    }

    /// Removes `member`; false when it was not there.
    @discardableResult
    public mutating func remove(_ member: VMReference) -> Bool {
        places.removeValue(forKey: member) != nil
    }

    /// The members in the order they were added.
    public var ordered: [VMReference] { places.sorted { $0.value < $1.value }.map(\.key) }

    public func makeIterator() -> IndexingIterator<[VMReference]> { ordered.makeIterator() }
}

extension VMMemberList: Hashable {
    /// Equal when they list the same members in the same order (the places themselves are
    /// an implementation detail: a list replayed from the running-config numbers them afresh).
    public static func == (a: VMMemberList, b: VMMemberList) -> Bool {
        a.places.count == b.places.count && (a.places == b.places && a.nextPlace == b.nextPlace || a.ordered == b.ordered)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(ordered) }
}
