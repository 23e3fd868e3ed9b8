import Synchronization

/// A bounded lock-free ring for one producer thread and one consumer at a time: how
/// the forwarding thread hands work to the control side without ever waiting on it.
///
/// The slots are allocated once; `push` copies the element in and publishes it with one
/// release store, `pop` copies it out after an acquire load, so neither side allocates,
/// locks or spins. A full ring refuses the element (the producer counts and retries
/// later); it never overwrites what the consumer has not read.
///
/// `@unchecked Sendable` is sound under the contract: only one thread pushes at a time
/// and only one pops at a time (handing either role to another thread needs a
/// happens-before edge, such as a thread start or a lock). A slot is written only while
/// it is free (before the release of `tail`) and read only while it is full (after the
/// acquire of `tail`, before the release of `head`).
public final class SPSCRing<Element: Sendable>: @unchecked Sendable {
    /// How many elements the ring holds.
    public let capacity: Int
    private let mask: Int
    private let slots: UnsafeMutablePointer<Element>
    /// Next slot to read; written by the consumer only.
    private let head = Atomic<Int>(0)
    /// Next slot to write; written by the producer only.
    private let tail = Atomic<Int>(0)

    /// A ring of at least `minimumCapacity` slots (rounded up to a power of two).
    public init(minimumCapacity: Int) {
        var capacity = 1
        while capacity < max(1, minimumCapacity) { capacity <<= 1 }
        self.capacity = capacity
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
    }

    deinit {
        var index = head.load(ordering: .relaxed)
        let end = tail.load(ordering: .relaxed)
        while index != end {
            (slots + (index & mask)).deinitialize(count: 1)
            index &+= 1
        }
        slots.deallocate()
    }

    /// Producer: appends `element`; false (and nothing stored) when the ring is full.
    @discardableResult
    public func push(_ element: Element) -> Bool {
        let at = tail.load(ordering: .relaxed)
        guard at &- head.load(ordering: .acquiring) < capacity else { return false }
        (slots + (at & mask)).initialize(to: element)
        tail.store(at &+ 1, ordering: .releasing)
        return true
    }

    /// Consumer: takes the oldest element, nil when empty.
    public func pop() -> Element? {
        let at = head.load(ordering: .relaxed)
        guard at != tail.load(ordering: .acquiring) else { return nil }
        let element = (slots + (at & mask)).move()
        head.store(at &+ 1, ordering: .releasing)
        return element
    }

    /// True when nothing waits (a hint for the consumer: a push may land right after).
    public var isEmpty: Bool { head.load(ordering: .acquiring) == tail.load(ordering: .acquiring) }

    /// Elements waiting (a snapshot).
    public var count: Int { tail.load(ordering: .acquiring) &- head.load(ordering: .acquiring) }
}
