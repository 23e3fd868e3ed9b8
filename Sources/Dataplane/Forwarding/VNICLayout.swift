import SwitchTypes

/// What the vNIC configuration makes of each bridge port, worked out once per
/// configuration change (never per frame) for `ForwardingPlan` and `VNICTable`.
///
/// A physical port takes part only while `vnicEnabled` and it has at least one
/// enabled vNIC: then, in switch mode, it is no bridge port of its own (its
/// switchport settings wait; frames without an enabled vNIC's S-tag are
/// `svid-not-assigned`) and each of its enabled vNICs is; in io-extender mode it
/// is no bridge port at all and its upstream carries its frames. Every other port
/// forwards as it always did.
struct VNICLayout {
    enum Role: Equatable {
        /// No vNIC business: forwarded as before.
        case plain
        /// A port whose vNICs are switched (switch mode).
        case switchMode
        /// A port whose frames all go to its upstream.
        case ioExtender(upstream: Int)
        /// The upstream of io-extender ports: their vNICs' S-VIDs go back to them.
        case upstream
        /// The uplink of an enabled vNIC group: every frame is in the group's VLAN.
        case groupUplink(vlan: UInt16)
    }

    /// One configured vNIC.
    struct Logical {
        let number: Int
        let name: BridgePort
        let svid: UInt16
        /// Enabled, with vNICs on: its S-VID is assigned.
        let isAssigned: Bool
        /// A bridge port: assigned, on a switch-mode port that is up.
        let isBridgePort: Bool
        /// The VLAN of its enabled group, 0 for none.
        let groupVLAN: UInt16
        /// Its share of the port's speed.
        let rateKbps: Int
        let switchport: PortConfiguration
    }

    /// Per physical port (index = port, 0 unused).
    private(set) var roles: [Role]
    /// Every configured vNIC, in numbering order.
    private(set) var logical: [Logical] = []
    /// Per physical port with vNIC business, the S-VIDs it recognises: the bridge
    /// port they name and the physical port the frame then belongs to (the vNIC's
    /// own port, or for an upstream the io-extender port).
    private(set) var routes: [Int: [(svid: UInt16, number: Int, port: Int)]] = [:]
    /// The VLANs of groups (enabled or not) while vNICs are on: no other port carries them.
    let reservedVLANs: VLANSet

    init(_ configuration: BridgeConfiguration) {
        roles = Array(repeating: .plain, count: configuration.portCount + 1)
        // With vNICs off, trunks carry what they always did.
        reservedVLANs = configuration.vnicEnabled ? configuration.reservedVLANs : VLANSet()
        var groupOf: [BridgePort: UInt16] = [:]
        for (_, group, vlan) in configuration.activeVNICGroups {
            for member in group.members { groupOf[member] = vlan }
            if let uplink = group.uplink { roles[uplink] = .groupUplink(vlan: vlan) }
        }
        for entry in configuration.vnicNumbering {
            let port = entry.name.port
            let settings = configuration.vnicPorts[port]!
            let assigned = configuration.vnicEnabled && entry.vnic.isEnabled
            let switching = settings.mode == .switch
            let rate = configuration[port: port].speed * 10 * entry.vnic.bandwidthPercent
            logical.append(Logical(number: entry.number, name: entry.name, svid: entry.vnic.svid, isAssigned: assigned,
                                   isBridgePort: assigned && switching && configuration[port: port].isEnabled,
                                   groupVLAN: switching ? groupOf[entry.name] ?? 0 : 0, rateKbps: rate,
                                   switchport: entry.vnic.switchport))
            guard assigned else { continue }
            switch settings.mode {
            case .switch:
                roles[port] = .switchMode
                routes[port, default: []].append((entry.vnic.svid, entry.number, port))
            case .ioExtender(let upstream):
                roles[port] = .ioExtender(upstream: upstream)
                routes[port, default: []].append((entry.vnic.svid, entry.number, port))
                roles[upstream] = .upstream
                routes[upstream, default: []].append((entry.vnic.svid, entry.number, port))
            }
        }
        // A port that belongs to its vNICs even with none enabled (CDCP before the station
        // was given a channel) refuses every frame as not assigned, rather than forwarding
        // them as a plain port would.
        for (port, settings) in configuration.vnicPorts
        where configuration.vnicEnabled && settings.exclusive && settings.mode == .switch && roles[port] == .plain {
            roles[port] = .switchMode
        }
    }
}
