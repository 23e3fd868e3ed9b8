/// How a VM's move to another port was announced.
public enum MoveAnnouncement: Hashable, Sendable, CaseIterable {
    /// A broadcast RARP (opcode 3, sender = target = the VM's MAC), as vMotion
    /// and QEMU send after a migration.
    case rarp
    /// A gratuitous ARP (sender IP = target IP).
    case garp
    /// No announcement: the VM's source MAC simply appeared on another port.
    case sourceMove
    /// A VM manager reported the VM started or resumed on the host behind the new port,
    /// before its first frame there (pre-provisioning).
    case vmManager
    /// The hypervisor associated the VSI on the new port by 802.1Qbg VDP.
    case vdp

    /// The word `show virt vm -v` and `show virt migrations` use.
    public var label: String {
        switch self {
        case .rarp: "RARP"
        case .garp: "GARP"
        case .sourceMove: "source move"
        case .vmManager: "VM manager"
        case .vdp: "VDP"
        }
    }
}
