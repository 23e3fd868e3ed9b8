/// The configuration compiled into the lookup tables the forwarding path reads:
/// per VLAN a member port mask and an untagged-egress port mask, per port its
/// untagged VLAN. Port p is bit p-1. Preallocated once and recompiled in place,
/// so a configuration change does not allocate either.
final class ForwardingPlan {
    let portCount: Int
    /// Ports administratively up.
    private(set) var enabledPorts: UInt64 = 0
    /// Per VLAN (index = VID, 0...4095): ports that carry it.
    private let members: UnsafeMutablePointer<UInt64>
    /// Per VLAN: member ports that send it untagged (access ports, trunk native VLAN).
    private let untagged: UnsafeMutablePointer<UInt64>
    /// Per port (index = port, 0 unused): the VLAN of untagged ingress, 0 when
    /// the port cannot carry it (VLAN missing, native VLAN not allowed).
    private let untaggedVLANs: UnsafeMutablePointer<UInt16>

    init(portCount: Int) {
        self.portCount = portCount
        members = .allocate(capacity: 4096)
        members.initialize(repeating: 0, count: 4096)
        untagged = .allocate(capacity: 4096)
        untagged.initialize(repeating: 0, count: 4096)
        untaggedVLANs = .allocate(capacity: portCount + 1)
        untaggedVLANs.initialize(repeating: 0, count: portCount + 1)
    }

    deinit {
        members.deallocate()
        untagged.deallocate()
        untaggedVLANs.deallocate()
    }

    @inline(__always) static func bit(_ port: Int) -> UInt64 { 1 << UInt64(port &- 1) }

    @inline(__always) func isEnabled(_ port: Int) -> Bool { enabledPorts & ForwardingPlan.bit(port) != 0 }
    @inline(__always) func members(of vlan: UInt16) -> UInt64 { members[Int(vlan)] }
    @inline(__always) func untaggedMembers(of vlan: UInt16) -> UInt64 { untagged[Int(vlan)] }
    @inline(__always) func untaggedVLAN(of port: Int) -> UInt16 { untaggedVLANs[port] }

    @inline(__always) func isMember(_ port: Int, of vlan: UInt16) -> Bool {
        members[Int(vlan)] & ForwardingPlan.bit(port) != 0
    }

    /// Rebuilds the tables from `configuration` (same port count).
    func compile(_ configuration: SwitchConfiguration) {
        members.update(repeating: 0, count: 4096)
        untagged.update(repeating: 0, count: 4096)
        enabledPorts = 0
        let existing = configuration.vlans.existing
        for port in 1...portCount {
            let settings = configuration[port: port]
            let bit = ForwardingPlan.bit(port)
            if settings.isEnabled { enabledPorts |= bit }
            switch settings.mode {
            case .access:
                let vlan = settings.accessVLAN
                if existing.contains(vlan) {
                    members[Int(vlan)] |= bit
                    untagged[Int(vlan)] |= bit
                    untaggedVLANs[port] = vlan
                } else {
                    untaggedVLANs[port] = 0
                }
            case .trunk:
                for vlan in settings.trunkAllowedVLANs.intersection(existing).members {
                    members[Int(vlan)] |= bit
                }
                let native = settings.nativeVLAN
                if members[Int(native)] & bit != 0 {
                    untagged[Int(native)] |= bit
                    untaggedVLANs[port] = native
                } else {
                    untaggedVLANs[port] = 0
                }
            }
        }
    }
}
