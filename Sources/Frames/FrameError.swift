/// Why a buffer is not a frame the switch can classify.
public enum FrameError: Error, Hashable, Sendable {
    /// Shorter than an Ethernet header (14 bytes).
    case tooShort
    /// A VLAN tag whose TCI or following EtherType is cut off.
    case truncatedTag
}
