import Dataplane

/// A frame as the switch sees it on egress: port and bytes.
struct EgressFrame: Equatable {
    var port: Int
    var bytes: [UInt8]

    /// The outer 802.1Q VID, or nil when untagged.
    var vlanTag: UInt16? {
        guard bytes.count >= 16, bytes[12] == 0x81, bytes[13] == 0x00 else { return nil }
        return (UInt16(bytes[14]) << 8 | UInt16(bytes[15])) & 0xfff
    }
}
