/// One port's bridge configuration.
public struct PortConfiguration: Hashable, Sendable {
    /// Administratively up (`no shutdown`); a down port neither receives nor sends.
    public var isEnabled: Bool = true
    /// Access or trunk.
    public var mode: PortMode = .access
    /// The VLAN of an access port.
    public var accessVLAN: UInt16 = 1
    /// The VLANs a trunk carries (intersected with the VLANs that exist).
    public var trunkAllowedVLANs: VLANSet = .all
    /// The trunk VLAN sent and received untagged.
    public var nativeVLAN: UInt16 = 1
    /// ACLs applied to frames received on the port, ascending; they win over station ACLs.
    public var acls: [Int] = []
    /// The port's speed in Mbit/s (`speed`, `BridgeConfiguration.speedRange`): what
    /// its vNICs' bandwidth shares are shares of.
    public var speed: Int = 10000
    /// Reflective relay (802.1Qbg VEPA hairpin): frames received on the port may leave it
    /// again, to another VM behind the same hypervisor. The switch sets it where EVB
    /// negotiated it (the station asked, the port's profile allows); never the operator.
    public var reflectiveRelay = false

    /// The defaults: up, access, VLAN 1.
    public init() {}

    /// The VLAN an untagged frame arriving on this port belongs to.
    public var untaggedVLAN: UInt16 { mode == .access ? accessVLAN : nativeVLAN }
}
