import Frames

/// A fixed ring of frame slots, preallocated: pushing and popping never allocate.
///
/// `@unchecked Sendable` because it has no lock of its own: it only ever lives
/// inside a `ThreadLock` (see `MemoryPort`), which serialises every access.
final class FrameRing: @unchecked Sendable {
    let slotCount: Int
    let slotSize: Int
    private(set) var count = 0
    private var head = 0
    private let storage: UnsafeMutableRawPointer
    private let lengths: UnsafeMutablePointer<Int>

    init(slotCount: Int, slotSize: Int) {
        self.slotCount = max(1, slotCount)
        self.slotSize = max(ParsedFrame.headerLength, slotSize)
        storage = .allocate(byteCount: self.slotCount * self.slotSize, alignment: 16)
        lengths = .allocate(capacity: self.slotCount)
        lengths.initialize(repeating: 0, count: self.slotCount)
    }

    deinit {
        storage.deallocate()
        lengths.deallocate()
    }

    /// Copies `frame` in at the tail; false when full or the frame exceeds a slot.
    func push(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard count < slotCount, frame.count <= slotSize else { return false }
        let slot = (head + count) % slotCount
        if let base = frame.baseAddress, frame.count > 0 {
            (storage + slot * slotSize).copyMemory(from: base, byteCount: frame.count)
        }
        lengths[slot] = frame.count
        count += 1
        return true
    }

    /// The frame at the head, valid until the next push or pop.
    var first: UnsafeRawBufferPointer? {
        guard count > 0 else { return nil }
        return UnsafeRawBufferPointer(start: storage + head * slotSize, count: lengths[head])
    }

    /// Drops the head frame.
    func removeFirst() {
        guard count > 0 else { return }
        head = (head + 1) % slotCount
        count -= 1
    }
}
