/// One vNIC: a partition of a converged NIC behind a physical port, identified
/// by the S-VID of the 802.1ad S-tag its frames carry (switching.md, "vNICs").
public struct VNICConfiguration: Hashable, Sendable {
    /// vNIC indexes on a port.
    public static let indexRange = 1...4
    /// Accepted `bandwidth` values, % of the port's speed.
    public static let bandwidthRange = 1...100
    /// `bandwidth` when not configured: four vNICs share the port evenly.
    public static let defaultBandwidthPercent = 25

    /// The S-VID identifying the vNIC's frames (1-4094): its index unless CDCP
    /// assigned another.
    public var svid: UInt16
    /// `enable`: only an enabled vNIC's S-VID is accepted (a vNIC starts disabled,
    /// so configuring it is not yet taking the port's traffic away).
    public var isEnabled: Bool = false
    /// Its share of the port's `speed`, metered in each direction.
    public var bandwidthPercent: Int = VNICConfiguration.defaultBandwidthPercent
    /// Its own switchport settings (`interface port P.I`): mode, access VLAN, trunk
    /// allowed and native VLANs, ACLs. Whether it is up is `isEnabled`.
    public var switchport: PortConfiguration = PortConfiguration()
    /// `mac-address-table limit N port P.I`: most dynamic MAC entries the vNIC holds
    /// (`BridgeConfiguration.macLimitRange`); nil for none.
    public var macLimit: Int?

    /// vNIC `index` at its defaults: S-VID = index, disabled, 25 %, access VLAN 1.
    public init(index: Int) {
        svid = UInt16(clamping: max(0, index))
    }
}

/// What a vNIC port does with its partitions' frames.
public enum VNICMode: Hashable, Sendable {
    /// The switch strips the S-tag and switches each vNIC as logical port P.I.
    case `switch`
    /// No local switching: every frame from the port leaves `upstream` unchanged,
    /// and S-tagged frames of the port's vNICs come back from it unchanged.
    case ioExtender(upstream: Int)
}

/// A physical port's vNICs and mode (`vnic port P ...`).
public struct VNICPortConfiguration: Hashable, Sendable {
    /// `vnic port P mode`.
    public var mode: VNICMode = .switch
    /// The vNICs by index (1-4).
    public var vnics: [Int: VNICConfiguration] = [:]
    /// The port takes nothing but its enabled vNICs' frames even while none is enabled (a
    /// CDCP port before its station was given a channel): every frame is then
    /// `svid-not-assigned`. Off, a port without an enabled vNIC forwards as a plain port.
    public var exclusive = false

    /// No vNIC, switch mode.
    public init() {}

    /// The enabled vNICs, by index.
    public var enabledVNICs: [(index: Int, vnic: VNICConfiguration)] {
        vnics.filter(\.value.isEnabled).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
