import Frames

/// What kind of virtual interface a VM MAC belongs to. VMware reserves two
/// ranges of its 00:50:56 OUI for the hypervisor's own interfaces, which
/// `show virt vm` marks in front of the IP address.
public enum VMKind: Hashable, Sendable, CaseIterable {
    /// A guest's virtual NIC.
    case vm
    /// An ESX service console interface (00:50:56:40:00:00–00:50:56:6f:ff:ff), marked `*`.
    case serviceConsole
    /// A VMkernel or management interface (00:50:56:70:00:00–00:50:56:7f:ff:ff), marked `+`.
    case vmkernel
    /// A VSI the hypervisor associated by 802.1Qbg VDP (not told by its traffic), marked `~`.
    case vsi

    /// The kind of `mac`, from VMware's reserved ranges.
    public init(mac: MACAddress) {
        switch mac.rawValue {
        case 0x0050_5640_0000...0x0050_566f_ffff: self = .serviceConsole
        case 0x0050_5670_0000...0x0050_567f_ffff: self = .vmkernel
        default: self = .vm
        }
    }

    /// The marker written in front of the IP in `show virt vm`: `*`, `+` or nothing.
    public var marker: String {
        switch self {
        case .vm: ""
        case .serviceConsole: "*"
        case .vmkernel: "+"
        case .vsi: "~"
        }
    }
}
