/// The configuration compiled into the lookup tables the forwarding path reads:
/// per VLAN a member port mask and an untagged-egress port mask, per port its
/// untagged VLAN. Port p is bit p-1, for bridge ports in `BridgeConfiguration.bridgePorts`
/// numbering (physical ports, then vNICs). Preallocated once, for every bridge port
/// there can be, and recompiled in place, so a configuration change does not allocate either.
///
/// Membership has two sources kept apart: the ports' own configuration
/// (static, from `compile`) and the stations located on policy ports
/// (dynamic, from `setDynamic`, see `DynamicMembership`). The forwarding path
/// reads only the combined masks, so it reads exactly one word per lookup
/// whatever the source; each source rewrites its own masks and the combination
/// of the VLANs it touched.
final class ForwardingPlan {
    /// Physical ports.
    let portCount: Int
    /// Bridge port numbers the tables hold: every one there can be.
    let capacity = BridgeConfiguration.maximumPorts
    /// Ports administratively up (a vNIC: enabled, on a switch-mode port that is up).
    private(set) var enabledPorts: UInt64 = 0
    /// Ports in reflective relay: what they receive may leave them again.
    private(set) var hairpinPorts: UInt64 = 0
    /// Physical ports whose frames `ForwardingPipeline+VNICs` takes (see `VNICLayout`).
    private(set) var vnicPorts: UInt64 = 0
    /// Per VLAN (index = VID, 0...4095): ports that carry it (static | dynamic).
    private let members: UnsafeMutablePointer<UInt64>
    /// Per VLAN: member ports that send it untagged (static, plus dynamic ones
    /// whose own configuration does not carry the VLAN: their own tagging stays).
    private let untagged: UnsafeMutablePointer<UInt64>
    /// Per VLAN: ports whose own configuration carries it.
    private let staticMembers: UnsafeMutablePointer<UInt64>
    /// Per VLAN: the statically untagged ports (access ports, trunk native VLAN).
    private let staticUntagged: UnsafeMutablePointer<UInt64>
    /// Per VLAN: ports that carry it for the stations located there.
    private let dynamicMembers: UnsafeMutablePointer<UInt64>
    /// Per VLAN: dynamic member ports that send it untagged.
    private let dynamicUntagged: UnsafeMutablePointer<UInt64>
    /// Per port (index = port, 0 unused): the VLAN of untagged ingress, 0 when
    /// the port cannot carry it (VLAN missing, native VLAN not allowed).
    private let untaggedVLANs: UnsafeMutablePointer<UInt16>

    init(portCount: Int) {
        self.portCount = portCount
        members = .allocate(capacity: 4096)
        members.initialize(repeating: 0, count: 4096)
        untagged = .allocate(capacity: 4096)
        untagged.initialize(repeating: 0, count: 4096)
        staticMembers = .allocate(capacity: 4096)
        staticMembers.initialize(repeating: 0, count: 4096)
        staticUntagged = .allocate(capacity: 4096)
        staticUntagged.initialize(repeating: 0, count: 4096)
        dynamicMembers = .allocate(capacity: 4096)
        dynamicMembers.initialize(repeating: 0, count: 4096)
        dynamicUntagged = .allocate(capacity: 4096)
        dynamicUntagged.initialize(repeating: 0, count: 4096)
        untaggedVLANs = .allocate(capacity: BridgeConfiguration.maximumPorts + 1)
        untaggedVLANs.initialize(repeating: 0, count: BridgeConfiguration.maximumPorts + 1)
    }

    deinit {
        members.deallocate()
        untagged.deallocate()
        staticMembers.deallocate()
        staticUntagged.deallocate()
        dynamicMembers.deallocate()
        dynamicUntagged.deallocate()
        untaggedVLANs.deallocate()
    }

    @inline(__always) static func bit(_ port: Int) -> UInt64 { 1 << UInt64(port &- 1) }

    @inline(__always) func isEnabled(_ port: Int) -> Bool { enabledPorts & ForwardingPlan.bit(port) != 0 }

    /// Whether a frame received on `port` may leave it again (reflective relay).
    @inline(__always) func hairpins(_ port: Int) -> Bool { hairpinPorts & ForwardingPlan.bit(port) != 0 }
    @inline(__always) func members(of vlan: UInt16) -> UInt64 { members[Int(vlan)] }
    @inline(__always) func untaggedMembers(of vlan: UInt16) -> UInt64 { untagged[Int(vlan)] }
    @inline(__always) func untaggedVLAN(of port: Int) -> UInt16 { untaggedVLANs[port] }

    @inline(__always) func isMember(_ port: Int, of vlan: UInt16) -> Bool {
        members[Int(vlan)] & ForwardingPlan.bit(port) != 0
    }

    /// Ports that carry `vlan` through their own configuration.
    func staticMembers(of vlan: UInt16) -> UInt64 { staticMembers[Int(vlan)] }

    /// Sets the dynamic membership of `vlan` and recombines it with the static one.
    func setDynamic(vlan: UInt16, members newMembers: UInt64, untagged newUntagged: UInt64) {
        let index = Int(vlan)
        dynamicMembers[index] = newMembers
        dynamicUntagged[index] = newUntagged
        combine(index)
    }

    /// Dynamic members of `vlan`, and those of them sending it untagged.
    func dynamicMembership(of vlan: UInt16) -> (members: UInt64, untagged: UInt64) {
        (dynamicMembers[Int(vlan)], dynamicUntagged[Int(vlan)])
    }

    @inline(__always)
    private func combine(_ index: Int) {
        let own = staticMembers[index]
        members[index] = own | dynamicMembers[index]
        untagged[index] = staticUntagged[index] | (dynamicUntagged[index] & ~own)
    }

    /// Rebuilds the static tables from `configuration` (same port count) and
    /// recombines them with the dynamic membership, which a configuration
    /// change does not touch.
    func compile(_ configuration: BridgeConfiguration) {
        compileStatic(configuration)
        for index in 0..<4096 { combine(index) }
    }

    private func compileStatic(_ configuration: BridgeConfiguration) {
        staticMembers.update(repeating: 0, count: 4096)
        staticUntagged.update(repeating: 0, count: 4096)
        untaggedVLANs.update(repeating: 0, count: capacity + 1)
        enabledPorts = 0
        hairpinPorts = 0
        vnicPorts = 0
        let layout = VNICLayout(configuration)
        // A group's VLAN is its own: no trunk carries it, whatever it allows.
        let existing = configuration.vlans.existing.subtracting(layout.reservedVLANs)
        for port in 1...portCount {
            let settings = configuration[port: port]
            let bit = ForwardingPlan.bit(port)
            if settings.isEnabled { enabledPorts |= bit }
            if settings.reflectiveRelay { hairpinPorts |= bit }
            switch layout.roles[port] {
            case .plain:
                addMembership(port, settings, existing: existing)
            case .upstream:
                vnicPorts |= bit
                addMembership(port, settings, existing: existing)
            case .switchMode, .ioExtender:
                // Its vNICs are the bridge ports, or its upstream takes everything.
                vnicPorts |= bit
            case .groupUplink(let vlan):
                vnicPorts |= bit
                addUntagged(port, vlan: vlan)
            }
        }
        for logical in layout.logical where logical.isBridgePort {
            enabledPorts |= ForwardingPlan.bit(logical.number)
            if logical.groupVLAN != 0 {
                addUntagged(logical.number, vlan: logical.groupVLAN)
            } else {
                addMembership(logical.number, logical.switchport, existing: existing)
            }
        }
    }

    /// Makes `port` an untagged member of `vlan` only (a vNIC group's member or uplink).
    private func addUntagged(_ port: Int, vlan: UInt16) {
        let bit = ForwardingPlan.bit(port)
        staticMembers[Int(vlan)] |= bit
        staticUntagged[Int(vlan)] |= bit
        untaggedVLANs[port] = vlan
    }

    /// Adds `port`'s membership as its switchport `settings` make it.
    private func addMembership(_ port: Int, _ settings: PortConfiguration, existing: VLANSet) {
        let members = staticMembers
        let untagged = staticUntagged
        let bit = ForwardingPlan.bit(port)
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
