extension UnsafeRawBufferPointer {
    /// Loads a network-order `UInt16` at any alignment; the caller checks bounds.
    @inlinable
    public func loadBigEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// Loads a network-order `UInt32` at any alignment; the caller checks bounds.
    @inlinable
    public func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
