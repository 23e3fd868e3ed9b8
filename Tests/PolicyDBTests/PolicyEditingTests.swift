import Foundation
import Frames
import PolicyDB
import SwitchTypes
import Testing
import TestSupport

@Suite(.postgres, postgresAvailable)
struct PolicyEditingTests {
    static let web = PolicyProfile(name: "web", vlan: 10, tagged: true,
                                   shaping: Shaping(averageKbps: 1000, burstKBytes: 64, peakKbps: 2000),
                                   egressShaping: Shaping(averageKbps: 500, burstKBytes: 32, peakKbps: 500), acls: [3, 1])
    static let db = PolicyProfile(name: "db", vlan: 20)
    static let mac = MACAddress(0x02, 0, 0, 0, 0, 0x01)
    static let uuid = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"

    @Test func profilesAreAddedReplacedAndRemoved() throws {
        let (_, connection, _, _) = try SharedPostgres.connection()
        try connection.putProfile(Self.web)
        try connection.putProfile(Self.db)
        #expect(try connection.profiles().rows == [Self.db, Self.web])
        var changed = Self.db
        changed.vlan = 21
        changed.acls = [7]
        try connection.putProfile(changed)
        #expect(try connection.profiles().rows == [changed, Self.web])
        try connection.removeProfile("db")
        #expect(try connection.profiles().rows == [Self.web])
        #expect(throws: PolicyDBError.notFound("no profile db")) { try connection.removeProfile("db") }
        #expect(throws: PolicyDBError.self) { try connection.putProfile(PolicyProfile(name: "bad", vlan: 4095)) }
    }

    @Test func assignmentsNeedTheirProfileAndGoWithIt() throws {
        let (_, connection, _, _) = try SharedPostgres.connection()
        #expect(throws: PolicyDBError.notFound("no profile web")) { try connection.assign(.mac(Self.mac), profile: "web") }
        try connection.putProfile(Self.web)
        try connection.assign(.mac(Self.mac), profile: "web")
        try connection.assign(.name("vm1"), profile: "web")
        try connection.putVSIType(VSITypeRow(typeID: 100, version: 1, profile: "web"))
        #expect(try connection.assignments().rows == [PolicyAssignment(key: .mac(Self.mac), profile: "web"),
                                                       PolicyAssignment(key: .name("vm1"), profile: "web")])
        try connection.unassign(.name("vm1"))
        #expect(throws: PolicyDBError.notFound("no assignment for name vm1")) { try connection.unassign(.name("vm1")) }
        try connection.removeProfile("web")
        #expect(try connection.assignments().rows.isEmpty)
        #expect(try connection.vsiTypes().rows.isEmpty)
    }

    @Test func resolutionPrefersUUIDThenMACThenName() throws {
        let (_, connection, _, _) = try SharedPostgres.connection()
        for name in ["by-uuid", "by-mac", "by-name"] { try connection.putProfile(PolicyProfile(name: name, vlan: 100)) }
        try connection.assign(.name("vm1"), profile: "by-name")
        #expect(try connection.resolve(mac: Self.mac, name: "vm1", uuid: Self.uuid).profile?.name == "by-name")
        try connection.assign(.mac(Self.mac), profile: "by-mac")
        #expect(try connection.resolve(mac: Self.mac, name: "vm1", uuid: Self.uuid).profile?.name == "by-mac")
        try connection.assign(.uuid(Self.uuid), profile: "by-uuid")
        let all = try connection.resolve(mac: Self.mac, name: "vm1", uuid: Self.uuid.uppercased())
        #expect(all.profile?.name == "by-uuid")
        #expect(all.assignment == .uuid(Self.uuid))
        // Each identity alone finds its own assignment; an unknown VM finds none.
        #expect(try connection.resolve(mac: nil, name: "vm1", uuid: nil).profile?.name == "by-name")
        #expect(try connection.resolve(mac: Self.mac, name: nil, uuid: nil).profile?.name == "by-mac")
        #expect(try connection.resolve(mac: MACAddress(0x02, 0, 0, 0, 0, 0x99), name: "vm2", uuid: nil).profile == nil)
    }

    @Test func badRowsWrittenWithPsqlAreReportedAndSkipped() throws {
        let (server, connection, _, name) = try SharedPostgres.connection()
        try connection.putProfile(Self.web)
        // An operator's SQL: what the database accepts but the switch cannot apply.
        try server.psql("""
            INSERT INTO profiles (name, vlan) VALUES ('vlan0', 0), ('vlan5000', 5000), ('bad name', 10);
            INSERT INTO profiles (name, vlan, shaping_average, shaping_burst, shaping_peak) VALUES ('slow', 10, 10, 1, 10);
            INSERT INTO profiles (name, vlan, shaping_average) VALUES ('half', 10, 1000);
            INSERT INTO profiles (name, vlan, eshaping_average, eshaping_burst, eshaping_peak) VALUES ('peak', 10, 2000, 10, 1000);
            INSERT INTO profiles (name, vlan, acls) VALUES ('acl', 10, '{1,300}'), ('aclnull', 10, '{1,NULL}');
            INSERT INTO assignments VALUES ('mac', 'AA:BB:CC:DD:EE:FF', 'web'), ('name', 'vm-bad', 'vlan0'), ('mac', '02:00:00:00:00:01', 'web');
            INSERT INTO vsi_types VALUES (1, 0, 'web'), (2, 0, 'vlan5000'), (16777216, 0, 'web');
            """, database: name)
        let profiles = try connection.profiles()
        #expect(profiles.rows == [Self.web])
        let bad = Dictionary(profiles.badRows.map { ($0.key, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(bad.keys) == ["vlan0", "vlan5000", "bad name", "slow", "half", "peak", "acl", "aclnull"])
        #expect(bad["vlan5000"] == "VLAN 5000 is not 1-4094")
        #expect(bad["slow"] == "shaping: average 10 kbit/s is not 64-10000000")
        #expect(bad["peak"] == "eshaping: peak 1000 kbit/s is below average 2000")
        #expect(bad["acl"] == "ACL 300 is not 1-256")
        #expect(profiles.badRows.allSatisfy { $0.table == "profiles" })

        let assignments = try connection.assignments()
        #expect(assignments.badRows.map(\.key) == ["mac AA:BB:CC:DD:EE:FF"])
        #expect(assignments.rows.count == 2)

        // A VM whose most specific assignment names a bad profile gets none, reported.
        let resolution = try connection.resolve(mac: nil, name: "vm-bad", uuid: nil)
        #expect(resolution.profile == nil)
        #expect(resolution.badRows.map(\.key) == ["vlan0"])

        let types = try connection.vsiTypes()
        #expect(types.rows == [VSITypeRow(typeID: 1, version: 0, profile: "web")])
        #expect(types.profiles == ["web": Self.web])
        #expect(Set(types.badRows.map(\.key)) == ["vlan5000", "2 0", "16777216 0"])
    }

    @Test func exportImportRoundTrip() throws {
        let (_, source, _, _) = try SharedPostgres.connection()
        try source.putProfile(Self.web)
        try source.putProfile(Self.db)
        try source.assign(.mac(Self.mac), profile: "web")
        try source.assign(.uuid(Self.uuid), profile: "db")
        try source.assign(.name("vm.1"), profile: "db")
        try source.putVSIType(VSITypeRow(typeID: 0xabcdef, version: 255, profile: "web"))
        let (document, badRows) = try source.export()
        #expect(badRows.isEmpty)
        let json = document.json()
        #expect(try PolicyDocument.decode(json) == document)

        let (_, target, _, _) = try SharedPostgres.connection()
        try target.importDocument(try PolicyDocument.decode(json))
        let (copy, _) = try target.export()
        #expect(copy == document)
        #expect(copy.json() == json)
    }

    @Test func importIsRefusedWholeOnOneBadEntry() throws {
        let (_, connection, _, _) = try SharedPostgres.connection()
        try connection.putProfile(Self.db)
        var document = PolicyDocument(profiles: [Self.web, PolicyProfile(name: "v0", vlan: 0)])
        #expect(throws: PolicyDBError.invalid("import refused: profile v0: VLAN 0 is not 1-4094")) { try connection.importDocument(document) }
        // A reference to a profile that exists nowhere fails in the database: rolled back whole.
        document = PolicyDocument(profiles: [Self.web], assignments: [PolicyAssignment(key: .name("x"), profile: "nothing")])
        #expect(throws: PolicyDBError.invalid("import refused: no profile nothing")) { try connection.importDocument(document) }
        #expect(try connection.profiles().rows == [Self.db])
    }

    @Test func locationMovesBetweenSwitches() throws {
        let (_, connection, _, _) = try SharedPostgres.connection()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try connection.recordLocation(VMLocation(mac: Self.mac, name: "vm1", switchID: "tor-a", port: "3", vlan: 10, since: start))
        try connection.recordLocation(VMLocation(mac: MACAddress(0x02, 0, 0, 0, 0, 2), name: nil, switchID: "tor-a", port: "1.2", vlan: nil, since: start))
        // A refresh on the same port keeps `since`.
        try connection.recordLocation(VMLocation(mac: Self.mac, name: "vm1", switchID: "tor-a", port: "3", vlan: 10, since: start + 60))
        #expect(try connection.locations(matching: .name("vm1")).rows.map(\.since) == [start])
        // Migration: switch B records it, the row moves; A's late removal leaves B's row.
        try connection.recordLocation(VMLocation(mac: Self.mac, name: "vm1", switchID: "tor-b", port: "7", vlan: 10, since: start + 120))
        #expect(try connection.removeLocation(mac: Self.mac, switchID: "tor-a") == false)
        let moved = try connection.locations(matching: .mac(Self.mac)).rows
        #expect(moved == [VMLocation(mac: Self.mac, name: "vm1", switchID: "tor-b", port: "7", vlan: 10, since: start + 120)])
        #expect(try connection.locations(matching: nil).rows.map(\.switchID) == ["tor-a", "tor-b"])
        #expect(try connection.removeLocation(mac: Self.mac, switchID: "tor-b"))
        #expect(try connection.locations(matching: .mac(Self.mac)).rows.isEmpty)
        #expect(throws: PolicyDBError.self) { try connection.locations(matching: .uuid(Self.uuid)) }
    }

    @Test func switchesAreTouched() throws {
        let (_, connection, _, _) = try SharedPostgres.connection()
        try connection.touchSwitch(id: "tor-a", hostname: "rack1-tor")
        try connection.touchSwitch(id: "tor-a", hostname: "rack1-tor-renamed")
        #expect(try connection.switches().map(\.hostname) == ["rack1-tor-renamed"])
    }
}
