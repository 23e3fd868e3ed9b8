import SwitchTypes

/// A vNIC group (`vnic vnicgroup N`): an isolated tunnel in its own VLAN. Its
/// member vNICs' frames are switched in `vlan` whatever their inner tags, which
/// they keep; `uplink` carries them with the inner tags and no outer tag, and
/// nothing leaves the group.
public struct VNICGroup: Hashable, Sendable {
    /// Group numbers.
    public static let numberRange = 1...32

    /// The group's VLAN, reserved for it (no port, vNIC or other group may use it);
    /// nil until configured, and a group without one is inactive.
    public var vlan: UInt16?
    /// The member vNICs (`member P.I`), each in one group only.
    public var members: Set<BridgePort> = []
    /// The group's one uplink port (`port P`), nil for none.
    public var uplink: Int?
    /// `enable`: a disabled group switches nothing, but its VLAN stays reserved.
    public var isEnabled: Bool = false

    /// An empty, disabled group.
    public init() {}
}
