import SwitchTypes

/// Preallocated, fixed-size frame slots shared by the punt ring and the transmit
/// queue: each slot holds a frame of up to `frameCapacity` bytes with its length,
/// port and switch time, so that passing a frame between threads copies it once
/// and allocates nothing.
///
/// Not synchronised: the rings that own it publish a slot (an atomic index
/// stored with release ordering) only after writing it, and reuse it only after
/// the other side has released it.
final class FrameSlots: @unchecked Sendable {
    /// The longest frame a slot holds: an untagged maximum-size frame plus one tag.
    static let frameCapacity = 1522
    /// Bytes per slot: the header (length, port, flags, time) then the frame, rounded to a cache line.
    static let stride = (16 + frameCapacity + 63) & ~63

    let count: Int
    private let storage: UnsafeMutableRawPointer

    /// `count` slots, a power of two so that indices wrap with a mask.
    init(count: Int) {
        precondition(count > 0 && count & (count - 1) == 0, "slot count must be a power of two")
        self.count = count
        storage = .allocate(byteCount: count * FrameSlots.stride, alignment: 64)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: count * FrameSlots.stride)
    }

    deinit { storage.deallocate() }

    /// Writes a frame into slot `index` (taken modulo `count`), padding it with
    /// zeros to `minimumLength`. The frame must fit (`frameCapacity`).
    @inline(__always)
    func write(_ frame: UnsafeRawBufferPointer, port: Int, time: Timestamp, flags: UInt16 = 0,
               minimumLength: Int = 0, at index: Int) {
        let slot = storage + (index & (count &- 1)) &* FrameSlots.stride
        let length = max(frame.count, minimumLength)
        slot.storeBytes(of: UInt32(truncatingIfNeeded: length), as: UInt32.self)
        slot.storeBytes(of: UInt16(truncatingIfNeeded: port), toByteOffset: 4, as: UInt16.self)
        slot.storeBytes(of: flags, toByteOffset: 6, as: UInt16.self)
        slot.storeBytes(of: time.nanoseconds, toByteOffset: 8, as: Int64.self)
        let bytes = slot + 16
        if let base = frame.baseAddress { bytes.copyMemory(from: base, byteCount: frame.count) }
        if length > frame.count { (bytes + frame.count).initializeMemory(as: UInt8.self, repeating: 0,
                                                                          count: length - frame.count) }
    }

    /// Slot `index`'s frame, port, flags and time; the bytes are valid until the slot is released.
    @inline(__always)
    func read(at index: Int) -> (frame: UnsafeRawBufferPointer, port: Int, flags: UInt16, time: Timestamp) {
        let slot = UnsafeRawPointer(storage + (index & (count &- 1)) &* FrameSlots.stride)
        let length = Int(slot.load(as: UInt32.self))
        let port = Int(slot.load(fromByteOffset: 4, as: UInt16.self))
        let flags = slot.load(fromByteOffset: 6, as: UInt16.self)
        let time = Timestamp(nanoseconds: slot.load(fromByteOffset: 8, as: Int64.self))
        return (UnsafeRawBufferPointer(start: slot + 16, count: length), port, flags, time)
    }
}
