import Frames

/// The egress forms of one received frame — as received, with its 802.1Q tag
/// removed, or with a tag for its VLAN added or rewritten — each built lazily
/// at most once, whatever the number of ports it goes to.
struct EgressForms {
    let original: UnsafeRawBufferPointer
    /// The frame arrived with an outer 802.1Q tag.
    let tagged: Bool
    let ingressTCI: UInt16
    let vlan: UInt16
    private var stripped: UnsafeRawBufferPointer?
    private var retagged: UnsafeRawBufferPointer?

    init(original: UnsafeRawBufferPointer, tagged: Bool, ingressTCI: UInt16, vlan: UInt16) {
        self.original = original
        self.tagged = tagged
        self.ingressTCI = ingressTCI
        self.vlan = vlan
    }

    /// The frame without an outer 802.1Q tag.
    @inline(__always)
    mutating func untaggedForm(scratch: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        guard tagged else { return original }
        if let stripped { return stripped }
        let length = original.count - 4
        // Addresses, then everything after the 4-byte tag.
        scratch.copyMemory(from: UnsafeRawBufferPointer(rebasing: original[0..<12]))
        UnsafeMutableRawBufferPointer(rebasing: scratch[12..<length])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: original[16...]))
        let result = UnsafeRawBufferPointer(rebasing: scratch[0..<length])
        stripped = result
        return result
    }

    /// The frame with an outer 802.1Q tag carrying `vlan` (priority bits kept).
    @inline(__always)
    mutating func taggedForm(scratch: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        if tagged, ingressTCI & 0xfff == vlan { return original }
        if let retagged { return retagged }
        let result: UnsafeRawBufferPointer
        let tci = ingressTCI & 0xf000 | vlan
        if tagged {
            // A priority-tagged frame: same length, new VID.
            scratch.copyMemory(from: original)
            scratch.storeBytes(of: tci.bigEndian, toByteOffset: 14, as: UInt16.self)
            result = UnsafeRawBufferPointer(rebasing: scratch[0..<original.count])
        } else {
            let length = original.count + 4
            scratch.copyMemory(from: UnsafeRawBufferPointer(rebasing: original[0..<12]))
            scratch.storeBytes(of: EtherType.vlan.bigEndian, toByteOffset: 12, as: UInt16.self)
            scratch.storeBytes(of: tci.bigEndian, toByteOffset: 14, as: UInt16.self)
            UnsafeMutableRawBufferPointer(rebasing: scratch[16..<length])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: original[12...]))
            result = UnsafeRawBufferPointer(rebasing: scratch[0..<length])
        }
        retagged = result
        return result
    }
}
