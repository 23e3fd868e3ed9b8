import Dataplane
import Frames
import Protocols
import SwitchTypes

/// The MIB objects the switch serves, each table a mapping from the snapshot to rows
/// (net-snmp's table helpers encode the indexes and walk them).
///
/// Interface numbering: port P is ifIndex P, vNIC P.I is ifIndex 1000·P + I (port 3's
/// vNIC 2 is 3002). A bridge port's dot1dBasePort is its ifIndex.
struct SNMPTable: Sendable {
    enum Kind: Sendable {
        /// A conceptual table: the types of its INDEX objects.
        case table(index: [IndexType])
        /// Scalars `oid.N.0`, N the row's columns.
        case scalars
    }

    enum IndexType: Sendable { case integer, gauge, timeticks, impliedOctets }

    let name: String
    /// The table's OID (without the entry's `.1`), or the scalars' parent.
    let oid: [UInt32]
    let kind: Kind
    /// The columns (or scalar sub-identifiers) every row has.
    let columns: [UInt32]
    let rows: @Sendable (SNMPSnapshot) -> [SNMPRow]

    static let all: [SNMPTable] = [
        interfaces, ifTable, ifXTable, dot1dBase, dot1dBasePortTable, dot1dTpFdbTable,
        dot1qFdbTable, dot1qTpFdbTable, dot1qVlanStaticTable, lldpRemTable,
    ]

    // MARK: IF-MIB (RFC 2863)

    static let ifMIB: [UInt32] = [1, 3, 6, 1, 2, 1, 2]

    static func ifIndex(_ port: BridgePort) -> Int { port.vnic.map { port.port * 1000 + $0 } ?? port.port }

    /// ifNumber.
    static let interfaces = SNMPTable(name: "vmready-interfaces", oid: ifMIB, kind: .scalars, columns: [1]) { snapshot in
        [SNMPRow(index: [], columns: [1: .integer(snapshot.interfaces.count)])]
    }

    /// ethernetCsmacd for a port, l2vlan for a vNIC (an S-channel of its port).
    static func ifType(_ port: BridgePort) -> Int { port.isVNIC ? 135 : 6 }

    /// up(1), down(2) for ifAdminStatus and ifOperStatus.
    static func status(_ up: Bool) -> SNMPValue { .integer(up ? 1 : 2) }

    /// The switch counts frames, not unicast and non-unicast apart: ifTable has its octets,
    /// discards and errors. Malformed frames are ifInErrors, the other receive drops
    /// ifInDiscards; frames the port's device could not take, ifOutDiscards.
    static let ifTable = SNMPTable(name: "vmready-ifTable", oid: ifMIB + [2], kind: .table(index: [.integer]),
                                   columns: [1, 2, 3, 5, 6, 7, 8, 10, 13, 14, 16, 19]) { snapshot in
        snapshot.interfaces.map { i in
            let c = i.counters
            let errors = c.drops[.malformed] ?? 0
            let speed = UInt64(i.speedMbits ?? 0) * 1_000_000
            return SNMPRow(index: [.integer(ifIndex(i.port))], columns: [
                1: .integer(ifIndex(i.port)),
                2: .string(i.port.isVNIC ? "VMready vNIC \(i.port)" : "VMready port \(i.port)"),
                3: .integer(ifType(i.port)),
                5: .gauge(UInt32(min(speed, UInt64(UInt32.max)))),
                // Ports switch frames under the switch's own MAC: none of their own.
                6: .octets([]),
                7: status(i.adminUp),
                8: status(i.state == "up"),
                10: .counter32(wrapping: c.rxBytes),
                13: .counter32(wrapping: c.dropped - min(c.dropped, errors)),
                14: .counter32(wrapping: errors),
                16: .counter32(wrapping: c.txBytes),
                19: .counter32(wrapping: c.txDropped),
            ])
        }
    }

    static let ifXTable = SNMPTable(name: "vmready-ifXTable", oid: [1, 3, 6, 1, 2, 1, 31, 1, 1], kind: .table(index: [.integer]),
                                    columns: [1, 6, 10, 15, 17, 18]) { snapshot in
        snapshot.interfaces.map { i in
            SNMPRow(index: [.integer(ifIndex(i.port))], columns: [
                1: .string(i.port.description),
                6: .counter64(i.counters.rxBytes),
                10: .counter64(i.counters.txBytes),
                15: .gauge(UInt32(clamping: i.speedMbits ?? 0)),
                // true(1) for a port's connector, false(2) for a vNIC.
                17: .integer(i.port.isVNIC ? 2 : 1),
                18: .string(i.description ?? ""),
            ])
        }
    }

    // MARK: BRIDGE-MIB (RFC 4188)

    static let bridgeMIB: [UInt32] = [1, 3, 6, 1, 2, 1, 17]

    /// dot1dBaseBridgeAddress, dot1dBaseNumPorts, dot1dBaseType transparent-only(2).
    static let dot1dBase = SNMPTable(name: "vmready-dot1dBase", oid: bridgeMIB + [1], kind: .scalars, columns: [1, 2, 3]) { snapshot in
        [SNMPRow(index: [], columns: [
            1: .octets(snapshot.systemMAC.octets),
            2: .integer(snapshot.interfaces.count),
            3: .integer(2),
        ])]
    }

    /// dot1dBasePort, dot1dBasePortIfIndex, dot1dBasePortCircuit (0.0: one port, one interface).
    static let dot1dBasePortTable = SNMPTable(name: "vmready-dot1dBasePortTable", oid: bridgeMIB + [1, 4],
                                              kind: .table(index: [.integer]), columns: [1, 2, 3]) { snapshot in
        snapshot.interfaces.map { i in
            SNMPRow(index: [.integer(ifIndex(i.port))],
                    columns: [1: .integer(ifIndex(i.port)), 2: .integer(ifIndex(i.port)), 3: .oid([0, 0])])
        }
    }

    /// learned(3) for a learned station, mgmt(5) for a static entry (dot1dTpFdbStatus and
    /// dot1qTpFdbStatus).
    static func fdbStatus(_ entry: MACTableEntry) -> SNMPValue { .integer(entry.isStatic ? 5 : 3) }

    /// dot1dTpFdbTable is indexed by MAC alone: a station in several VLANs is served once,
    /// with its lowest VLAN's entry (dot1qTpFdbTable has them all).
    static let dot1dTpFdbTable = SNMPTable(name: "vmready-dot1dTpFdbTable", oid: bridgeMIB + [4, 3],
                                           kind: .table(index: [.impliedOctets]), columns: [1, 2, 3]) { snapshot in
        var first: [MACAddress: MACTableEntry] = [:]
        for entry in snapshot.macEntries where first[entry.mac].map({ entry.vlan < $0.vlan }) ?? true {
            first[entry.mac] = entry
        }
        return first.values.map { e in
            SNMPRow(index: [.impliedOctets(e.mac.octets)], columns: [
                1: .octets(e.mac.octets), 2: .integer(ifIndex(e.bridgePort)), 3: fdbStatus(e),
            ])
        }
    }

    // MARK: Q-BRIDGE-MIB (RFC 4363): one filtering database per VLAN, dot1qFdbId = VLAN ID.

    static let qBridgeMIB: [UInt32] = bridgeMIB + [7, 1]

    /// dot1qFdbDynamicCount of every VLAN.
    static let dot1qFdbTable = SNMPTable(name: "vmready-dot1qFdbTable", oid: qBridgeMIB + [2, 1],
                                         kind: .table(index: [.gauge]), columns: [2]) { snapshot in
        var dynamic: [UInt16: Int] = [:]
        for entry in snapshot.macEntries where !entry.isStatic { dynamic[entry.vlan, default: 0] += 1 }
        return snapshot.vlans.map { vlan in
            SNMPRow(index: [.gauge(UInt32(vlan.id))], columns: [2: .counter32(UInt32(clamping: dynamic[vlan.id] ?? 0))])
        }
    }

    /// dot1qTpFdbPort, dot1qTpFdbStatus, indexed by VLAN and MAC.
    static let dot1qTpFdbTable = SNMPTable(name: "vmready-dot1qTpFdbTable", oid: qBridgeMIB + [2, 2],
                                           kind: .table(index: [.gauge, .impliedOctets]), columns: [2, 3]) { snapshot in
        snapshot.macEntries.map { e in
            SNMPRow(index: [.gauge(UInt32(e.vlan)), .impliedOctets(e.mac.octets)],
                    columns: [2: .integer(ifIndex(e.bridgePort)), 3: fdbStatus(e)])
        }
    }

    /// dot1qVlanStaticName and dot1qVlanStaticRowStatus active(1) of every VLAN.
    static let dot1qVlanStaticTable = SNMPTable(name: "vmready-dot1qVlanStaticTable", oid: qBridgeMIB + [4, 3],
                                                kind: .table(index: [.gauge]), columns: [1, 5]) { snapshot in
        snapshot.vlans.map { vlan in
            SNMPRow(index: [.gauge(UInt32(vlan.id))], columns: [1: .string(vlan.name), 5: .integer(1)])
        }
    }

    // MARK: LLDP-MIB (IEEE 802.1AB-2005, 1.0.8802.1.1.2)

    /// lldpRemTable: lldpRemTimeMark 0 (a TimeFilter of 0 shows every row), the local port,
    /// the neighbour's index as `show lldp remote-device` numbers it. A neighbour heard by
    /// several agents of a port (nearest bridge, non-TPMR, customer) has a row per agent,
    /// each under its own index, as `show lldp remote-device` lists it.
    static let lldpRemTable = SNMPTable(name: "vmready-lldpRemTable", oid: [1, 0, 8802, 1, 1, 2, 1, 4, 1],
                                        kind: .table(index: [.timeticks, .integer, .integer]),
                                        columns: [4, 5, 6, 7, 8, 9, 10, 11, 12]) { snapshot in
        snapshot.lldpNeighbors.map { entry in
            let unit = entry.info
            let chassis = unit.chassisID.wire
            let port = unit.portID.wire
            let capabilities = unit.tlvs.lazy.compactMap { tlv -> LLDPSystemCapabilities? in
                if case .systemCapabilities(let c) = tlv { c } else { nil }
            }.first
            return SNMPRow(index: [.timeticks(0), .integer(entry.key.port), .integer(entry.index)], columns: [
                4: .integer(Int(chassis.subtype)), 5: .octets(chassis.octets),
                6: .integer(Int(port.subtype)), 7: .octets(port.octets),
                8: .octets(unit.portDescription?.octets ?? []),
                9: .octets(unit.systemName?.octets ?? []),
                10: .octets(unit.systemDescription?.octets ?? []),
                11: .octets(bits(capabilities?.supported.rawValue ?? 0)),
                12: .octets(bits(capabilities?.enabled.rawValue ?? 0)),
            ])
        }
    }

    /// LLDP's capability bits (bit 0 = other, least significant first on the wire) as the
    /// MIB's BITS (bit 0 = the first octet's most significant bit).
    static func bits(_ capabilities: UInt16) -> [UInt8] {
        var octets: [UInt8] = [0, 0]
        for bit in 0..<16 where capabilities & (1 << bit) != 0 { octets[bit / 8] |= 0x80 >> (bit % 8) }
        return octets
    }
}
