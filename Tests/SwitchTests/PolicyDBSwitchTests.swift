import Foundation
import FrameTestSupport
import Frames
import PolicyDB
import Protocols
@testable import Switch
import SwitchTypes
import Testing
import TestSupport
import Virtualization

/// The switch against a real PostgreSQL (started by the suite on 127.0.0.1, a database per
/// test): VMs take the database's profiles when they are detected, changes made in the
/// database reach them through NOTIFY, a local group wins, a profile the switch cannot apply
/// is reported and skipped, and the database going away changes nothing in force.
@Suite(.serialized, .enabled(if: PostgresServer.isAvailable, "needs root and Debian's postgresql"))
final class PolicyDBSwitchTests {
    let server: PostgresServer

    init() throws { server = try PostgresServer() }
    deinit { server.stop() }

    /// A database with profile `web` (VLAN 100, shaped) assigned to `VMs.web` by MAC, and a
    /// switch using it as `sw-a`.
    func bench(_ setup: [String] = [], prepare: (PolicyConnection) throws -> Void = { _ in }) throws -> VMreadyBench {
        let database = try seededDatabase(prepare)
        let lab = try VMreadyBench(setup: ["virt enable"] + setup + [
            "virt policy-db uri \"\(database.uri)\"", "virt policy-db password-file \"\(server.passwordFile)\"",
            "virt policy-db switch-id sw-a",
        ])
        databaseName = database.name
        #expect(eventually { lab.show("show virt policy-db").first?.hasPrefix("Policy database: connected since ") == true },
                "\(lab.show("show virt policy-db"))")
        return lab
    }

    private var databaseName = ""

    /// A fresh database with profile `web` (VLAN 100, shaped) assigned to `VMs.web` by MAC.
    func seededDatabase(_ prepare: (PolicyConnection) throws -> Void = { _ in }) throws -> (name: String, uri: String) {
        let database = try server.createDatabase()
        let connection = try PolicyConnection(uri: database.uri, passwordFile: server.passwordFile)
        _ = try connection.migrate()
        try connection.putProfile(PolicyProfile(name: "web", vlan: 100, shaping: Shaping(averageKbps: 100_000, burstKBytes: 64, peakKbps: 200_000)))
        try connection.assign(.mac(VMs.web), profile: "web")
        try prepare(connection)
        return database
    }

    func sql(_ statement: String) throws { _ = try server.psql(statement, database: databaseName) }

    /// What `query` returns, rows on lines, columns separated by `|`.
    func rows(_ query: String) throws -> String { try server.psql(query, database: databaseName) }

    /// The `queries answered` count of `show virt policy-db`.
    func queriesAnswered(_ lab: VMreadyBench) -> Int {
        let line = lab.show("show virt policy-db").first { $0.hasPrefix("  queries answered: ") } ?? ""
        return Int(line.dropFirst("  queries answered: ".count).prefix { $0.isNumber }) ?? -1
    }

    @Test func aVMTakesItsDatabaseProfileAndAChangeInTheDatabaseReachesIt() throws {
        let lab = try bench(["vlan 200", "exit"])
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        #expect(eventually { lab.egressPorts(to: VMs.web, vlan: 100) == [1] })
        let group = try #require(lab.sw.vms.group(of: VMs.web))
        #expect(VMGroup.implicitRange.contains(group))
        let policy = lab.sw.vms.installedPolicies[VMs.web]
        #expect(policy?.ingressShaping?.averageKbps == 100_000, "\(String(describing: policy))")
        let status = lab.show("show virt policy-db")
        #expect(status.contains("  applied: 1 VM in 1 profile (web), 0 VSI types"), "\(status)")
        // Where it is, from the database.
        let dc = lab.show("show virt dc vm 00:50:56:9c:00:c8")
        #expect(dc.count == 3 && dc[2].hasPrefix("00:50:56:9c:00:c8  -     sw-a    1     100   "), "\(dc)")
        // The same answers as JSON, valid against their schemas (no transcript has a database).
        let documents = try ["show virt dc vm 00:50:56:9c:00:c8", "show virt policy-db"].map { line in
            try #require(ShowJSONCheck.run(line, in: lab.shell), "\(line)")
        }
        #expect(try ShowJSONCheck.validate(documents) == [], "\(documents.map(\.document))")
        let located = try JSONSerialization.jsonObject(with: Data(documents[0].document.utf8)) as? [String: Any]
        let row = (located?["vms"] as? [[String: Any]])?.first
        #expect(row?["mac"] as? String == "00:50:56:9c:00:c8" && row?["switchID"] as? String == "sw-a"
                    && row?["port"] as? String == "1" && row?["vlan"] as? Int == 100 && row?["name"] == nil, "\(documents[0].document)")
        #expect(documents[1].document.contains(#""appliedProfiles":["web"]"#) && documents[1].document.contains(#""state":"connected""#),
                "\(documents[1].document)")
        // An operator moves the profile to VLAN 200 with SQL: NOTIFY, re-resolution, no polling.
        try sql("UPDATE profiles SET vlan = 200 WHERE name = 'web'")
        #expect(eventually { lab.egressPorts(to: VMs.web, vlan: 200) == [1] })
        #expect(lab.show("show virt policy-db").contains { $0.hasPrefix("  last notify: ") && !$0.hasPrefix("  last notify: none") })
        // Unassigned in the database: the VM leaves the profile's VLAN.
        try sql("DELETE FROM assignments")
        #expect(eventually { lab.sw.vms.group(of: VMs.web) == nil })
    }

    @Test func aLocalGroupAlwaysWins() throws {
        let lab = try bench(["vlan 300", "exit", "virt vmgroup 5 vlan 300", "virt vmgroup 5 vm 00:50:56:9c:21:2f"]) { db in
            try db.assign(.mac(VMs.db), profile: "web")
        }
        lab.send(.gratuitousARP(VMs.db, ip: IPv4Address(198, 18, 46, 12)), on: 2)
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        #expect(eventually { lab.egressPorts(to: VMs.web, vlan: 100) == [1] })
        #expect(lab.sw.vms.group(of: VMs.db) == 5)
        #expect(lab.egressPorts(to: VMs.db, vlan: 300) == [2])
    }

    @Test func aProfileTheSwitchCannotApplyIsReportedAndSkipped() throws {
        let lab = try bench { db in
            try db.putProfile(PolicyProfile(name: "far", vlan: 3000))
            try db.assign(.mac(VMs.db), profile: "far")
        }
        lab.send(.gratuitousARP(VMs.db, ip: IPv4Address(198, 18, 46, 12)), on: 2)
        let message = "Not applied: profile far: VLAN 3000 does not exist on this switch"
        #expect(eventually { lab.show("show logging").contains { $0.hasSuffix(message) } })
        #expect(lab.sw.vms.group(of: VMs.db) == nil)
        // A row no switch can use (written by hand, past the checks) is reported and skipped.
        try sql("INSERT INTO profiles (name, vlan, tagged, acls) VALUES ('broken', 9999, false, '{}')")
        try sql("UPDATE assignments SET profile = 'broken' WHERE key = '00:50:56:9c:00:c8'")
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        #expect(eventually { lab.show("show logging").contains { $0.contains("Bad row skipped: ") && $0.contains("broken") } },
                "\(lab.show("show logging"))")
        #expect(lab.sw.vms.group(of: VMs.web) == nil)
    }

    @Test func theDatabaseGoingDownChangesNothingInForceAndItsReturnIsReadAgain() throws {
        let lab = try bench()
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        #expect(eventually { lab.egressPorts(to: VMs.web, vlan: 100) == [1] })
        try server.kill()
        #expect(eventually { lab.show("show virt policy-db").first?.hasPrefix("Policy database: down since ") == true })
        // Stale, still in force; forwarding goes on.
        #expect(lab.egressPorts(to: VMs.web, vlan: 100) == [1])
        #expect(lab.show("show virt policy-db").contains { $0.contains("(1 with a profile, 1 stale)") })
        #expect(lab.show("show virt dc vm").first?.hasPrefix("% Policy database: ") == true, "\(lab.show("show virt dc vm"))")
        try server.restart()
        #expect(eventually(30) { lab.show("show virt policy-db").first?.hasPrefix("Policy database: connected since ") == true })
        #expect(eventually { lab.show("show virt policy-db").contains { $0.contains("(1 with a profile, 0 stale)") } })
        let log = lab.show("show logging")
        #expect(log.contains { $0.contains("Policy database down: ") && $0.contains("cached answers stay in force") }, "\(log)")
        #expect(log.filter { $0.contains("Policy database up (schema version ") }.count == 2)
    }

    @Test func aDatabaseDownAtBootIsRetriedAndItsAnswersApplyWhenItComes() throws {
        let database = try seededDatabase()
        try server.stopServer()
        let lab = try VMreadyBench(setup: ["virt enable", "virt policy-db uri \"\(database.uri)\"",
                                           "virt policy-db password-file \"\(server.passwordFile)\""])
        #expect(eventually { lab.show("show virt policy-db").first?.hasPrefix("Policy database: down since ") == true })
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        #expect(lab.sw.vms.group(of: VMs.web) == nil)
        try server.restart()
        #expect(eventually(30) { lab.egressPorts(to: VMs.web, vlan: 100) == [1] })
        // The switch ID defaults to the hostname.
        #expect(lab.show("show virt policy-db")[1].hasSuffix(", switch ID vmready"))
    }

    @Test func aSchemaFromTheFutureIsRefusedAndTheSwitchRunsOnItsOwn() throws {
        let database = try seededDatabase()
        _ = try server.psql("UPDATE vmready_schema SET version = 99", database: database.name)
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 7 vlan 100", "virt vmgroup 7 vm 00:50:56:9c:21:2f",
                                           "virt policy-db uri \"\(database.uri)\"",
                                           "virt policy-db password-file \"\(server.passwordFile)\""])
        #expect(eventually { lab.show("show virt policy-db").contains { $0.hasPrefix("  error: ") && $0.contains("99") } },
                "\(lab.show("show virt policy-db"))")
        // Nothing from the database, everything of the switch's own.
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        lab.send(.gratuitousARP(VMs.db, ip: IPv4Address(198, 18, 46, 12)), on: 2)
        #expect(lab.sw.vms.group(of: VMs.web) == nil)
        #expect(lab.egressPorts(to: VMs.db, vlan: 100) == [2])
        #expect(lab.show("show logging").contains { $0.contains("Policy database down: ") && $0.contains("99") })
    }

    @Test func vsiTypesComeFromTheDatabaseUnlessTheSwitchDefinesThem() throws {
        let lab = try bench(["vlan 200", "exit", "virt evb vsitype 78 version 1", "vlan 200", "exit"]) { db in
            try db.putVSIType(VSITypeRow(typeID: 77, version: 1, profile: "web"))
            try db.putVSIType(VSITypeRow(typeID: 78, version: 1, profile: "web"))
        }
        #expect(eventually {
            lab.sw.state.withLock { $0.vsiTypeDatabase.lookup(typeID: 77, version: 1) } == VSIType(vlan: 100, profile: "db:web")
        })
        #expect(lab.sw.state.withLock { $0.vsiTypeDatabase.lookup(typeID: 78, version: 1) } == VSIType(vlan: 200, profile: nil))
        try sql("DELETE FROM vsi_types WHERE type_id = 77")
        #expect(eventually { lab.sw.state.withLock { $0.vsiTypeDatabase.lookup(typeID: 77, version: 1) } == nil })
    }

    @Test func aVMSeenBehindTheUplinkIsNoLongerThisSwitchsAndItsRowIsNeverClaimed() throws {
        let lab = try bench()
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        #expect(eventually { (try? rows("SELECT switch_id, port FROM vm_locations")) == "sw-a|1" })
        // It migrated to another switch and is seen behind the uplink: this switch's row goes.
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 4)
        #expect(eventually { (try? rows("SELECT count(*) FROM vm_locations")) == "0" })
        // The switch it went to records it; a change re-resolves every VM here, the remote one
        // too, and this switch must not write its uplink over the other switch's row.
        try sql("INSERT INTO vm_locations (mac, switch_id, port, vlan) VALUES ('00:50:56:9c:00:c8', 'sw-b', '7', 100)")
        let answered = queriesAnswered(lab)
        try sql("UPDATE profiles SET tagged = false WHERE name = 'web'")
        #expect(eventually { queriesAnswered(lab) > answered }, "\(lab.show("show virt policy-db"))")
        lab.sw.policyDB.drain()
        // Asked through the client after anything it was handed: its writes are done.
        let dc = lab.show("show virt dc vm 00:50:56:9c:00:c8")
        #expect(dc.count == 3 && dc[2].hasPrefix("00:50:56:9c:00:c8  -     sw-b    7     100   "), "\(dc)")
    }

    @Test func aVMDetectedWhileALockStallsTheDatabaseGetsItsProfileOnceTheLockGoes() throws {
        let lab = try bench()
        // An operator's transaction holds the assignments past the switch's 3 s statement timeout.
        let locker = try server.psqlInBackground(
            "BEGIN; LOCK TABLE assignments IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(5); COMMIT;", database: databaseName)
        var lockerStatus: Int32?
        defer {
            if lockerStatus == nil {
                kill(locker, SIGKILL)
                _ = waitpid(locker, nil, 0)
            }
        }
        #expect(eventually {
            (try? rows("SELECT count(*) FROM pg_locks WHERE relation = 'assignments'::regclass AND granted")) == "1"
        })
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        // Detected, unassigned until the answer comes; the lookup times out and is logged.
        #expect(lab.show("show virt vm").contains { $0.contains("00:50:56:9c:00:c8") })
        #expect(lab.sw.vms.group(of: VMs.web) == nil)
        #expect(eventually { lab.show("show logging").contains { $0.contains("Query failed: ") && $0.contains("timed out") } },
                "\(lab.show("show logging"))")
        #expect(eventually(30) {
            var status: Int32 = 0
            guard waitpid(locker, &status, WNOHANG) == locker else { return false }
            lockerStatus = status
            return true
        })
        #expect(lockerStatus == 0)
        // Asked again, not left for its next move.
        #expect(eventually { lab.egressPorts(to: VMs.web, vlan: 100) == [1] }, "\(lab.show("show virt policy-db"))")
    }

    @Test func theConfigurationRefusesPasswordsAndReplays() throws {
        let lab = try VMreadyBench()
        for (line, error) in [
            ("virt policy-db uri \"postgresql://vmready:secret@198.18.0.10/policy\"",
             "The URI carries a password: put it in a file (virt policy-db password-file PATH)"),
            ("virt policy-db uri \"postgresql://198.18.0.10/policy?password=secret\"",
             "The URI carries a password: put it in a file (virt policy-db password-file PATH)"),
            ("virt policy-db uri \"mysql://198.18.0.10/policy\"", "Invalid URI: it must start with postgresql://"),
            ("virt policy-db password-file relative/file", "Invalid password file: an absolute path of printable characters"),
            ("virt policy-db switch-id bad/name", "Invalid switch ID: 1-64 letters, digits, '-', '_' or '.'"),
        ] {
            #expect(lab.show("configure terminal").isEmpty)
            #expect(lab.show(line) == ["% " + error], "\(line)")
            #expect(lab.show("end").isEmpty)
        }
        #expect(!lab.sw.runningConfig().contains { $0.contains("policy-db") })
        #expect(lab.show("show virt dc vm") == ["% No policy database is configured (virt policy-db uri)"])
        #expect(lab.show("show virt policy-db") == ["Policy database: not configured (local profiles only)"])
    }
}

/// Polls `condition` every 50 ms for up to `seconds`. Only bounds a wait.
func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}
