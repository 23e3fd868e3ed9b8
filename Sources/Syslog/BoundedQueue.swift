import Foundation

/// A FIFO with a fixed capacity between threads that log and one thread that sends: `push`
/// never waits (when full, the item is dropped and counted), `pop` waits for an item.
public final class BoundedQueue<Item: Sendable>: @unchecked Sendable {
    public let capacity: Int
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var items: [Item?]
    private var head = 0
    private var count = 0
    private var dropped = 0
    private var closed = false

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        items = Array(repeating: nil, count: self.capacity)
    }

    /// Adds `item`, or drops it (counted) when the queue is full or closed. Returns whether
    /// it was queued.
    @discardableResult
    public func push(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed, count < capacity else {
            dropped += 1
            return false
        }
        items[(head + count) % capacity] = item
        count += 1
        condition.signal()
        return true
    }

    /// The oldest item; waits up to `timeout` seconds for one. Nil on timeout or once closed.
    public func pop(timeout: Double) -> Item? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while count == 0 && !closed {
            if !condition.wait(until: deadline) { break }
        }
        guard count > 0, !closed else { return nil }
        let item = items[head]
        items[head] = nil
        head = (head + 1) % capacity
        count -= 1
        return item
    }

    /// Takes every item still queued, oldest first: what a consumer that stops at `close`
    /// may still owe (the console's lines, written before its writer ends).
    public func drain() -> [Item] {
        condition.withLock {
            var out: [Item] = []
            out.reserveCapacity(count)
            while count > 0 {
                if let item = items[head] { out.append(item) }
                items[head] = nil
                head = (head + 1) % capacity
                count -= 1
            }
            return out
        }
    }

    /// Items refused because the queue was full.
    public var droppedCount: Int { condition.withLock { dropped } }
    public var pendingCount: Int { condition.withLock { count } }

    /// Wakes the consumer; later pushes are dropped and `pop` returns nil.
    public func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    public var isClosed: Bool { condition.withLock { closed } }
}
