import HashTreeCollections

/// A dictionary that is cheap to copy and cheap to compare with an earlier copy of itself.
///
/// The switch edits a copy of its whole configuration for every command (edit, publish,
/// keep), and the VM layer then asks what the command changed. With 100,000 group members
/// a plain `Dictionary` would copy all of them per command and diff all of them per
/// publish; persistent hash trees share every untouched subtree, so both the copy and
/// `changedKeys(since:)` cost what the edit touched (`TreeSet.symmetricDifference` skips
/// subtrees the two versions share).
public struct DiffableTreeMap<Key: Hashable & Sendable, Value: Hashable & Sendable>: Sendable {
    /// The entries.
    public private(set) var entries: TreeDictionary<Key, Value> = [:]
    /// The same entries as pairs, so that a changed value shows up in a set difference.
    private var pairs: TreeSet<Pair> = []

    private struct Pair: Hashable, Sendable {
        var key: Key
        var value: Value
    }

    public init() {}

    /// The value for `key`; setting nil removes the entry.
    public subscript(key: Key) -> Value? {
        get { entries[key] }
        set {
            if let old = entries[key] { pairs.remove(Pair(key: key, value: old)) }
            entries[key] = newValue
            if let newValue { pairs.insert(Pair(key: key, value: newValue)) }
        }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// The keys whose entry was added, removed or changed since `old` (an earlier version of this map).
    public func changedKeys(since old: DiffableTreeMap) -> Set<Key> {
        Set(pairs.symmetricDifference(old.pairs).lazy.map(\.key))
    }

    /// The entries sorted by key.
    public func sorted() -> [(key: Key, value: Value)] where Key: Comparable {
        entries.map { (key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }
}

extension DiffableTreeMap: Hashable {
    public static func == (a: DiffableTreeMap, b: DiffableTreeMap) -> Bool { a.entries == b.entries }
    public func hash(into hasher: inout Hasher) { hasher.combine(entries) }
}
