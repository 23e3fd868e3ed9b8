import Dataplane
import Frames
import Protocols
import SwitchTypes

/// What the switch serves over SNMP, taken at one moment from the same sources its `show`
/// commands read: the agent thread answers from this copy, never from the switch's state.
struct SNMPSnapshot: Sendable {
    /// One port or vNIC: a row of ifTable, ifXTable and dot1dBasePortTable.
    struct Interface: Sendable, Equatable {
        var port: BridgePort
        /// `description` (ifAlias).
        var description: String?
        /// Not shut down (a vNIC: enabled in its `vnic port` block).
        var adminUp: Bool
        /// `show interface`'s State: up, down or err-disabled.
        var state: String
        /// Mbit/s (`speed`); nil for a vNIC, which runs at its share of the port's.
        var speedMbits: Int?
        var counters: PortCounters
    }

    var systemMAC: MACAddress
    var interfaces: [Interface]
    var macEntries: [MACTableEntry]
    /// Every existing VLAN with its name (`show vlan`).
    var vlans: [(id: UInt16, name: String)]
    var lldpNeighbors: [LLDPNeighborTable<LLDPDU>.Entry]
}

extension VMreadySwitch {
    /// The snapshot SNMP serves: the interfaces and counters of `show interface [counters]`,
    /// the MAC table of `show mac-address-table`, the neighbours of `show lldp remote-device`.
    func snmpSnapshot() -> SNMPSnapshot {
        let s = state.withLock { $0 }
        let counters = dataplane.counters() + dataplane.vnicCounters()
        let byPort = Dictionary(counters.map { ($0.bridgePort, $0) }, uniquingKeysWith: { first, _ in first })
        let interfaces = s.allBridgePorts.map { port in
            let adminUp = port.vnic.map { s.bridge.vnicPorts[port.port]?.vnics[$0]?.isEnabled == true }
                ?? s.bridge[port: port.port].isEnabled
            return SNMPSnapshot.Interface(
                port: port, description: s.description(of: port), adminUp: adminUp, state: s.interfaceState(port),
                speedMbits: port.isVNIC ? nil : s.bridge[port: port.port].speed,
                counters: byPort[port] ?? PortCounters(port: port.port, vnic: port.vnic))
        }
        let vlans = s.bridge.vlans.existing.members.map { (id: $0, name: s.bridge.vlans.name(of: $0)) }
        // LLDP's table as it stands: not `lldpView()`, which first waits for the VM managers
        // and the policy database (a request must never wait on anything slow).
        return SNMPSnapshot(systemMAC: systemMAC, interfaces: interfaces, macEntries: dataplane.macEntries(),
                            vlans: vlans, lldpNeighbors: lldp.snapshot.neighbors.sorted)
    }
}
