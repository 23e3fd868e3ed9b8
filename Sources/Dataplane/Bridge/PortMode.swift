/// How a port carries VLANs.
public enum PortMode: String, Hashable, Sendable, CaseIterable {
    /// One VLAN, untagged.
    case access
    /// Several VLANs, tagged, and the native VLAN untagged.
    case trunk
}
