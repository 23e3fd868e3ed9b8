import Dataplane
import Frames
import Protocols
@testable import Switch
import SwitchTypes
import Testing

/// What the subagent serves, from the snapshot to rows: numbering, values and indexes, as
/// net-snmp's table helpers are handed them. (The wire encoding is net-snmp's; the lab test
/// walks it through a real snmpd.)
@Suite struct SNMPTableTests {
    static func rows(_ table: SNMPTable, _ snapshot: SNMPSnapshot) -> [SNMPRow] {
        table.rows(snapshot).sorted { "\($0.index)" < "\($1.index)" }
    }

    static func configured(_ lines: [String]) throws -> VMreadySwitch {
        let sw = try VMreadySwitch(portCount: 4)
        let shell = try sw.shell(kind: .batch)
        #expect(shell.run("configure terminal").succeeded)
        for line in lines {
            let outcome = shell.run(line)
            #expect(outcome.succeeded, "\(line): \(outcome.error?.message ?? "")")
        }
        return sw
    }

    @Test func interfacesAreNumberedPortThenVNIC() throws {
        let sw = try Self.configured([
            "vnic enable", "vnic port 3 index 2", "enable", "exit",
            "interface port 2", "description \"uplink\"", "shutdown", "speed 1000", "exit",
            "interface port 3.2", "description \"esx-a vmnic1\"", "exit",
        ])
        let snapshot = sw.snmpSnapshot()
        // As `show interface` lists them: each port followed by its vNICs.
        #expect(snapshot.interfaces.map(\.port.description) == ["1", "2", "3", "3.2", "4"])
        #expect(SNMPTable.interfaces.rows(snapshot) == [SNMPRow(index: [], columns: [1: .integer(5)])])

        let ifTable = SNMPTable.ifTable.rows(snapshot)
        #expect(ifTable.map(\.index) == [[.integer(1)], [.integer(2)], [.integer(3)], [.integer(3002)], [.integer(4)]])
        let port2 = try #require(ifTable.first { $0.index == [.integer(2)] })
        #expect(port2.columns[2] == .string("VMready port 2"))
        #expect(port2.columns[3] == .integer(6))
        #expect(port2.columns[5] == .gauge(1_000_000_000))
        #expect(port2.columns[7] == .integer(2), "shut down: ifAdminStatus down")
        #expect(port2.columns[8] == .integer(2), "shut down: ifOperStatus down")
        let vnic = try #require(ifTable.first { $0.index == [.integer(3002)] })
        #expect(vnic.columns[2] == .string("VMready vNIC 3.2"))
        #expect(vnic.columns[3] == .integer(135))
        #expect(vnic.columns[5] == .gauge(0))
        // A 10 Gbit/s port's ifSpeed saturates; ifHighSpeed has it.
        let port1 = try #require(ifTable.first { $0.index == [.integer(1)] })
        #expect(port1.columns[5] == .gauge(UInt32.max))
        #expect(port1.columns[7] == .integer(1))

        let ifX = SNMPTable.ifXTable.rows(snapshot)
        #expect(ifX.first { $0.index == [.integer(1)] }?.columns[15] == .gauge(10_000))
        #expect(ifX.first { $0.index == [.integer(2)] }?.columns[18] == .string("uplink"))
        #expect(ifX.first { $0.index == [.integer(3002)] }?.columns[18] == .string("esx-a vmnic1"))
        #expect(ifX.first { $0.index == [.integer(3002)] }?.columns[1] == .string("3.2"))

        // Every row has every column the table registers: GETNEXT never meets a hole.
        for table in SNMPTable.all {
            for row in table.rows(snapshot) {
                #expect(Set(row.columns.keys) == Set(table.columns), "\(table.name)")
            }
        }
    }

    @Test func macEntriesIndexByVLANAndAddress() throws {
        let sw = try Self.configured([
            "vlan 10", "name \"ten\"", "exit",
            "mac-address-table static 02:00:00:00:00:01 vlan 10 port 3",
            "mac-address-table static 02:00:00:00:00:01 vlan 1 port 2",
            "mac-address-table static 02:00:00:00:00:02 vlan 10 port 4",
        ])
        let snapshot = sw.snmpSnapshot()
        let mac1: [UInt8] = [2, 0, 0, 0, 0, 1]
        let q = Self.rows(SNMPTable.dot1qTpFdbTable, snapshot)
        #expect(q.count == 3)
        #expect(q.contains(SNMPRow(index: [.gauge(10), .impliedOctets(mac1)], columns: [2: .integer(3), 3: .integer(5)])))
        #expect(q.contains(SNMPRow(index: [.gauge(1), .impliedOctets(mac1)], columns: [2: .integer(2), 3: .integer(5)])))
        // BRIDGE-MIB's table has one row per MAC: its lowest VLAN's.
        let d = SNMPTable.dot1dTpFdbTable.rows(snapshot)
        #expect(d.count == 2)
        #expect(d.contains(SNMPRow(index: [.impliedOctets(mac1)], columns: [1: .octets(mac1), 2: .integer(2), 3: .integer(5)])))
        #expect(SNMPTable.dot1qVlanStaticTable.rows(snapshot).contains(
            SNMPRow(index: [.gauge(10)], columns: [1: .string("ten"), 5: .integer(1)])))
        #expect(SNMPTable.dot1qFdbTable.rows(snapshot).contains(SNMPRow(index: [.gauge(10)], columns: [2: .counter32(0)])))
        #expect(SNMPTable.dot1dBase.rows(snapshot) == [SNMPRow(index: [], columns: [
            1: .octets(sw.systemMAC.octets), 2: .integer(4), 3: .integer(2),
        ])])
    }

    @Test func lldpNeighboursAreRemTableRows() throws {
        var table = LLDPNeighborTable<LLDPDU>()
        let unit = LLDPDU(chassisID: .macAddress(MACAddress(2, 0, 0, 0, 0, 9)), portID: .interfaceName("eth0"),
                          timeToLive: 120, tlvs: [
                              .portDescription("to the switch"), .systemName("esx-a"), .systemDescription("Linux"),
                              .systemCapabilities(LLDPSystemCapabilities(supported: [.bridge, .router], enabled: [.router])),
                          ])
        let now = Timestamp(seconds: 1000)
        for (port, agent) in [(3, LLDPAgentKind.nearestBridge), (3, .nearestNonTPMRBridge)] {
            let key = LLDPNeighborTable<LLDPDU>.Key(port: port, agent: agent, chassisID: unit.chassisID, portID: unit.portID)
            _ = table.heard(key, info: unit, ttlSeconds: 120, at: now)
        }
        let snapshot = SNMPSnapshot(systemMAC: MACAddress(2, 0, 0, 0, 0, 1), interfaces: [], macEntries: [], vlans: [],
                                    lldpNeighbors: table.sorted)
        let rows = Self.rows(SNMPTable.lldpRemTable, snapshot)
        #expect(rows.count == 2, "each agent's entry has its own index")
        let first = try #require(rows.first { $0.index == [.timeticks(0), .integer(3), .integer(table.sorted[0].index)] })
        #expect(first.columns[4] == .integer(4), "chassis ID subtype macAddress")
        #expect(first.columns[5] == .octets([2, 0, 0, 0, 0, 9]))
        #expect(first.columns[6] == .integer(5), "port ID subtype interfaceName")
        #expect(first.columns[7] == .string("eth0"))
        #expect(first.columns[8] == .string("to the switch"))
        #expect(first.columns[9] == .string("esx-a"))
        #expect(first.columns[10] == .string("Linux"))
        // bridge(2) and router(4) as BITS: the first octet's bits 0x20 and 0x08.
        #expect(first.columns[11] == .octets([0x28, 0]))
        #expect(first.columns[12] == .octets([0x08, 0]))
    }

    @Test func capabilityBitsAreMostSignificantFirst() {
        #expect(SNMPTable.bits(0) == [0, 0])
        #expect(SNMPTable.bits(1) == [0x80, 0], "other(0)")
        #expect(SNMPTable.bits(1 << 8) == [0, 0x80])
        #expect(SNMPTable.bits(0xffff) == [0xff, 0xff])
    }

    @Test func countersWrapAsCounter32() {
        #expect(SNMPValue.counter32(wrapping: (1 << 32) + 5) == .counter32(5))
        #expect(SNMPTable.ifIndex(BridgePort(port: 64, vnic: 4)) == 64_004)
    }

    @Test func agentxSocketRules() {
        #expect(SNMPConfiguration.problem(socket: "/var/agentx/master") == nil)
        #expect(SNMPConfiguration.problem(socket: "var/agentx/master") != nil)
        #expect(SNMPConfiguration.problem(socket: "/with space") != nil)
        #expect(SNMPConfiguration.problem(socket: "/" + String(repeating: "a", count: 106)) == nil)
        #expect(SNMPConfiguration.problem(socket: "/" + String(repeating: "a", count: 107)) != nil)
    }
}
