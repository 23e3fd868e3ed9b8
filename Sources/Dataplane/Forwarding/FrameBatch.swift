/// A preallocated batch of received frames: one byte arena plus a descriptor
/// per frame. Filling and draining it never allocates, so ports and benchmarks
/// hand frames to `ForwardingPipeline.process(_:)` in bulk. A frame is copied
/// into the arena, or lent: left where a device received it (an AF_XDP port's
/// UMEM), which the device keeps unchanged until the batch is emptied.
public final class FrameBatch {
    private struct Descriptor {
        var start: UnsafeRawPointer?
        var length: Int
        var port: Int
    }

    /// Most frames the batch holds.
    public let capacity: Int
    /// Size of the byte arena.
    public let byteCapacity: Int
    /// Frames in the batch.
    public private(set) var count = 0

    private var bytesUsed = 0
    private let arena: UnsafeMutableRawPointer
    private let descriptors: UnsafeMutablePointer<Descriptor>

    /// Creates an empty batch.
    /// - Parameters:
    ///   - capacity: most frames (at least 1).
    ///   - byteCapacity: arena size; frames are packed end to end.
    public init(capacity: Int = 64, byteCapacity: Int = 64 * 9216) {
        self.capacity = max(1, capacity)
        self.byteCapacity = max(0, byteCapacity)
        arena = .allocate(byteCount: self.byteCapacity, alignment: 16)
        descriptors = .allocate(capacity: self.capacity)
    }

    deinit {
        arena.deallocate()
        descriptors.deallocate()
    }

    /// True when no frame fits any more (by count).
    public var isFull: Bool { count == capacity }

    /// Copies `frame`, received on `port`, into the batch.
    /// - Returns: false, changing nothing, when the batch is out of slots or bytes.
    @discardableResult
    public func append(_ frame: UnsafeRawBufferPointer, port: Int) -> Bool {
        guard count < capacity, byteCapacity - bytesUsed >= frame.count else { return false }
        if let base = frame.baseAddress, frame.count > 0 {
            (arena + bytesUsed).copyMemory(from: base, byteCount: frame.count)
        }
        descriptors[count] = Descriptor(start: UnsafeRawPointer(arena + bytesUsed), length: frame.count, port: port)
        bytesUsed += frame.count
        count += 1
        return true
    }

    /// Adds `frame`, received on `port`, where it lies, without copying it: the caller
    /// keeps those bytes valid and unchanged until `removeAll`.
    /// - Returns: false, changing nothing, when the batch is out of slots.
    func lend(_ frame: UnsafeRawBufferPointer, port: Int) -> Bool {
        guard count < capacity else { return false }
        descriptors[count] = Descriptor(start: frame.baseAddress, length: frame.count, port: port)
        count += 1
        return true
    }

    /// Empties the batch, keeping its storage.
    public func removeAll() {
        count = 0
        bytesUsed = 0
    }

    /// Frame `index` and its ingress port; valid until the batch is changed.
    public subscript(index: Int) -> (frame: UnsafeRawBufferPointer, port: Int) {
        precondition(index >= 0 && index < count, "frame index out of range")
        return frame(unchecked: index)
    }

    /// The same for an index the caller knows is in `0..<count` (a loop over the batch).
    @inline(__always)
    func frame(unchecked index: Int) -> (frame: UnsafeRawBufferPointer, port: Int) {
        let descriptor = descriptors[index]
        return (UnsafeRawBufferPointer(start: descriptor.start, count: descriptor.length), descriptor.port)
    }
}
