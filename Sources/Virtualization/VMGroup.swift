/// A VM group (`virt vmgroup N`): the VMs that share a VLAN and a profile.
public struct VMGroup: Hashable, Sendable {
    /// Group numbers the CLI accepts.
    public static let numberRange = 1...4096
    /// Numbers of groups the switch makes itself (one per VSI type with associated VSIs):
    /// never the operator's, never in the running-config.
    public static let implicitRange = 4097...8192

    public let number: Int
    /// The group's own VLAN (`vlan V`); exclusive with its profile's.
    public var vlan: UInt16?
    /// VM traffic on the VLAN is tagged on the port (`tag`).
    public var tagged = false
    /// Members, in the order added; each may be pending (not yet seen). Changed only
    /// through `VirtConfiguration`, which keeps its member index in step.
    public internal(set) var members = VMMemberList()
    /// Static member ports (`port LIST`): they carry the group's VLAN whether or not a member is there.
    public var ports: Set<Int> = []
    /// The profile (`profile NAME`).
    public var profile: String?
    /// Spoof validation of the members (`validate basic`).
    public var validation: VMValidation?

    public init(number: Int) { self.number = number }
}

/// Which checks a group's members get (`validate basic`). `advanced` needs the
/// VM manager's inventory and comes with it.
public enum VMValidation: String, Hashable, Sendable {
    /// Moves checked for announcements and flapping.
    case basic
    /// Basic, and every member verified against the VM managers (vm-manager.md): a member
    /// seen behind a port whose host does not run it is a suspected spoof.
    case advanced
}
