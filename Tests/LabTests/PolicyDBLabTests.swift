#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// Data-centre-wide policy between real hosts (policy-db.md): two `vmready` processes share
/// one real PostgreSQL, a VM migrates from switch A to switch B and arrives with its profile
/// from the database, a profile changed with psql reaches both switches, and the database
/// dying or stalling on a lock never stops forwarding or the CLI.
///
/// `SwitchPairTopology`: hypervisor A on A's port 1, the client on A's port 3, hypervisor B
/// on B's port 1, A's and B's ports 2 a trunk carrying VLANs 20 and 30. Hypervisor ports
/// stay in access VLAN 1 and the client is in the profile's VLAN: only the database's
/// profile lets a VM reach the client, so every successful ping proves the profile is in
/// force on the VM's current switch. The profile and assignments are written as operators
/// do, with `vmready policy` and `psql`.
@Suite(.serialized) struct PolicyDBLabTests {
    static let vm1MAC = "00:50:56:3a:20:10"
    static let vm1IP = "198.18.20.10"
    static let vm2MAC = "00:50:56:3a:20:11"
    static let vm2IP = "198.18.20.11"
    static let clientIP = "198.18.20.1"

    @Test(.enabled(if: geteuid() == 0 && PostgresServer.isAvailable,
                   "needs root (namespaces, veths) and Debian's postgresql (CI installs it and runs as root)"))
    func twoSwitchesShareTheDatabaseThroughAMigrationAChangeAndFaults() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping"] { _ = try HostProcesses.executable(tool) }

        let server = try PostgresServer()
        defer { server.stop() }
        let database = try server.createDatabase()
        let topology = try SwitchPairTopology()
        defer { topology.tearDown() }
        try topology.create()
        let (hypervisorA, hypervisorB, client) = (topology.hypervisorA, topology.hypervisorB, topology.client)
        try topology.lab.address(client, "\(Self.clientIP)/24")
        for hypervisor in [hypervisorA, hypervisorB] { try LabVirtualMachine.makeVirtualSwitch(in: hypervisor) }
        let vm1OnA = LabVirtualMachine(host: hypervisorA, name: "vm", mac: Self.vm1MAC, cidr: "\(Self.vm1IP)/24")
        let vm1OnB = LabVirtualMachine(host: hypervisorB, name: "vm", mac: Self.vm1MAC, cidr: "\(Self.vm1IP)/24")
        let vm2OnA = LabVirtualMachine(host: hypervisorA, name: "vm2", mac: Self.vm2MAC, cidr: "\(Self.vm2IP)/24")
        try vm1OnA.create()

        // The operator's tool creates the schema and the profile; nothing is assigned yet.
        let policy = PolicyTool(binary: binary, uri: database.uri, passwordFile: server.passwordFile)
        try policy.run(["profile", "add", "web", "--vlan", "20"])

        let switchA = try topology.startSwitchA(binary)
        defer { switchA.stop() }
        let switchB = try topology.startSwitchB(binary)
        defer { switchB.stop() }
        let switches = [("A", switchA), ("B", switchB)]
        // Evaluated only when an expectation fails.
        func context() -> Comment {
            var text = ""
            for (name, sw) in switches {
                let state = (try? sw.query(["show virt policy-db", "show virt vm -v", "show virt migrations",
                                            "show mac-address-table", "show logging"], timeout: 10)) ?? "(vmready did not answer)\n"
                text += "=== switch \(name) ===\n\(state)\(sw.transcript)\n"
            }
            let rows = (try? server.psql("SELECT * FROM vm_locations ORDER BY mac", database: database.name)) ?? "?"
            let log = (try? String(contentsOfFile: server.directory + "/server.log", encoding: .utf8)) ?? ""
            return "\(text)--- vm_locations ---\n\(rows)\n--- PostgreSQL log (end) ---\n\(log.suffix(3000))\n\(topology.state)"
        }

        for (name, sw) in switches {
            var lines = ["configure terminal", "vlan 20", "exit", "vlan 30", "exit",
                         "system server-ports port 1", "virt enable",
                         "interface port 2", "switchport mode trunk", "switchport trunk allowed vlan 1,20,30", "exit"]
            if name == "A" { lines += ["interface port 3", "switchport access vlan 20", "exit"] }
            // The URI last: it starts the client, which then connects once, under its own ID.
            lines += ["virt policy-db switch-id sw-\(name.lowercased())", "virt policy-db password-file \"\(server.passwordFile)\"",
                      "virt policy-db uri \"\(database.uri)\"", "end"]
            try sw.configure(lines)
        }
        for (name, sw) in switches {
            #expect(try poll(sw, "show virt policy-db") { $0.hasPrefix("Policy database: connected since ") },
                    "switch \(name) did not connect to the policy database\n\(context())")
        }

        // Each switch has its row in the database's list of switches, under its own ID.
        #expect(try server.psql("SELECT id FROM switches ORDER BY id", database: database.name) == "sw-a\nsw-b",
                "the database does not list exactly switches sw-a and sw-b\n\(context())")

        // Control: unassigned, the VM stays in port 1's VLAN 1, apart from the client. The
        // switch has seen it (listed, in no group), so the silence is VLAN separation.
        #expect(try !hypervisorA.ping(Self.clientIP, device: "vm", attempts: 1),
                "the VM reached the client (VLAN 20) with no profile assigned\n\(context())")
        #expect(try vmRow(switchA, Self.vm1MAC, port: "1") == [Self.vm1IP, Self.vm1MAC, "1"],
                "switch A does not list the VM on port 1 in no group\n\(context())")

        // Assigned by MAC in the database: NOTIFY, re-resolution, the VM in VLAN 20.
        try policy.run(["assign", Self.vm1MAC, "web"])
        #expect(try hypervisorA.ping(Self.clientIP, device: "vm", attempts: 3),
                "the VM on switch A cannot reach the client after its assignment to web (VLAN 20)\n\(context())")
        #expect(try poll(switchA, "show virt policy-db") { $0 == "  applied: 1 VM in 1 profile (web), 0 VSI types" },
                "switch A does not report the database's profile applied\n\(context())")

        // vMotion to hypervisor B, announced by RARP before the VM says anything: switch B
        // resolves the arriving VM's profile in the database and puts it in VLAN 20, the
        // trunk carries it to the client.
        try vm1OnA.delete()
        try vm1OnB.create(addressed: false)
        try RawFrameSender.send(VMMigrationLabTests.rarpAnnouncement(mac: Self.vm1MAC), count: 3,
                                namespace: hypervisorB.namespace, device: "vm")
        try vm1OnB.addAddress()
        #expect(try client.ping(Self.vm1IP, attempts: 3),
                "the client cannot reach the VM after it migrated to switch B\n\(context())")
        #expect(try hypervisorB.ping(Self.clientIP, device: "vm", attempts: 3),
                "the VM on switch B cannot reach the client\n\(context())")
        #expect(try poll(switchB, "show virt policy-db") { $0 == "  applied: 1 VM in 1 profile (web), 0 VSI types" },
                "switch B does not report the database's profile applied to the arrived VM\n\(context())")
        // Where the VM is, asked of the switch it left: one row, switch B's.
        var location: [String] = []
        #expect(try poll(switchA, "show virt dc vm \(Self.vm1MAC)") { line in
            location = line.split(separator: " ").map(String.init)
            return location.count >= 5 && location[0] == Self.vm1MAC && location[2...4] == ["sw-b", "1", "20"]
        }, "show virt dc vm on switch A does not place the VM on sw-b port 1 VLAN 20 (last row \(location))\n\(context())")

        // Fault 1: the database dies. Both switches say so, keep forwarding with their
        // stale answers, and their CLI answers; once it is back they connect again.
        try server.kill()
        for (name, sw) in switches {
            #expect(try poll(sw, "show virt policy-db") { $0.hasPrefix("Policy database: down since ") },
                    "switch \(name) does not report the database down\n\(context())")
            #expect(try poll(sw, "show virt policy-db") { $0.contains("with a profile, 1 stale)") },
                    "switch \(name) does not mark its cached answer stale\n\(context())")
        }
        #expect(try client.ping(Self.vm1IP, attempts: 3),
                "the client cannot reach the VM on switch B while the database is down\n\(context())")
        #expect(try vmRow(switchB, Self.vm1MAC, port: "1").last == "(db:web)",
                "switch B does not list the VM in the database's profile while the database is down\n\(context())")
        // A batch session reports a failed command on stderr, with its line number.
        try switchA.configure(["show virt dc vm"])
        let answerWhileDown = switchA.stderr.split(separator: "\n").map(String.init)
        #expect(answerWhileDown.count == 2 && answerWhileDown[0].hasSuffix(": show virt dc vm")
                    && answerWhileDown[1].hasPrefix("% Policy database: policy database down: "),
                "show virt dc vm does not say the database is down: \(answerWhileDown)\n\(context())")
        try server.restart()
        for (name, sw) in switches {
            #expect(try poll(sw, "show virt policy-db", attempts: 120) { $0.hasPrefix("Policy database: connected since ") },
                    "switch \(name) did not reconnect after the database came back\n\(context())")
        }
        #expect(try client.ping(Self.vm1IP, attempts: 3),
                "the client cannot reach the VM on switch B after the database came back\n\(context())")

        // Fault 2: a slow database. An operator's transaction holds the assignments table
        // (longer than the switch's 3 s statement timeout) while a second, assigned VM
        // appears on switch A: the lookup times out and is logged, the CLI and forwarding
        // carry on, and the VM gets its profile once the lock goes.
        try policy.run(["assign", Self.vm2MAC, "web"])
        let locker = try server.psqlInBackground(
            "BEGIN; LOCK TABLE assignments IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8); COMMIT;", database: database.name)
        // Killed and reaped on the way out unless it finished (a reaped pid may be reused).
        var lockerStatus: Int32?
        defer { if lockerStatus == nil { HostProcesses.kill(locker) } }
        #expect(try pollSQL(server, database.name,
                            "SELECT count(*) FROM pg_locks WHERE relation = 'assignments'::regclass AND granted AND mode = 'AccessExclusiveLock'") { $0 == "1" },
                "psql never took the lock on assignments\n\(context())")
        try vm2OnA.create()
        try RawFrameSender.send(VMMigrationLabTests.gratuitousARP(mac: Self.vm2MAC, ip: [198, 18, 20, 11]), count: 3,
                                namespace: hypervisorA.namespace, device: "vm2")
        #expect(try vmRow(switchA, Self.vm2MAC, port: "1") == [Self.vm2IP, Self.vm2MAC, "1"],
                "switch A does not list the new VM, in no group yet, while the database is locked\n\(context())")
        #expect(try client.ping(Self.vm1IP, attempts: 3),
                "the client cannot reach the VM on switch B while the database is locked\n\(context())")
        #expect(try poll(switchA, "show logging") { $0.contains("Query failed: ") && $0.contains("timed out") },
                "switch A logs no query timeout while the database is locked\n\(context())")
        lockerStatus = HostProcesses.wait(for: locker, timeout: 30)
        #expect(lockerStatus == 0,
                "the psql holding the lock did not finish cleanly (wait status \(lockerStatus.map(String.init) ?? "none"))\n\(context())")
        #expect(try hypervisorA.ping(Self.clientIP, device: "vm2", attempts: 5),
                "the VM that appeared during the lock did not get its profile once the lock went\n\(context())")

        // A profile changed with psql reaches both switches: web moves to VLAN 30, and so
        // does the client; both VMs, one on each switch, reach it only through VLAN 30.
        _ = try server.psql("UPDATE profiles SET vlan = 30 WHERE name = 'web'", database: database.name)
        try switchA.configure(["configure terminal", "interface port 3", "switchport access vlan 30", "end"])
        #expect(try hypervisorB.ping(Self.clientIP, device: "vm", attempts: 5),
                "the VM on switch B cannot reach the client in VLAN 30 after web moved there\n\(context())")
        #expect(try hypervisorA.ping(Self.clientIP, device: "vm2", attempts: 5),
                "the VM on switch A cannot reach the client in VLAN 30 after web moved there\n\(context())")
        // Where the VMs are now, asked of switch B: each on its own switch, in VLAN 30. Switch A
        // re-resolved the first VM too (it still sees it behind the trunk) and must not claim it.
        for (mac, switchID) in [(Self.vm1MAC, "sw-b"), (Self.vm2MAC, "sw-a")] {
            var row: [String] = []
            #expect(try poll(switchB, "show virt dc vm \(mac)") { line in
                row = line.split(separator: " ").map(String.init)
                return row.count >= 5 && row[0] == mac && row[2...4] == [switchID, "1", "30"]
            }, "show virt dc vm does not place \(mac) on \(switchID) port 1 VLAN 30 (last row \(row))\n\(context())")
        }
        for (name, sw) in switches {
            #expect(try poll(sw, "show virt policy-db") { $0.hasPrefix("  last notify: ") && !$0.hasPrefix("  last notify: none") },
                    "switch \(name) reports no notification from the database\n\(context())")
        }

        print("PolicyDBLabTests: show virt dc vm\n" + (try switchB.query(["show virt dc vm"])))
        for (name, sw) in switches {
            #expect(sw.isRunning, "switch \(name) exited during the lab test\n\(context())")
        }
        for (name, sw) in switches {
            // Switch A's one failed command is `show virt dc vm` with the database down: exit status 1.
            let (expectedStatus, expectedErrors) = name == "A" ? (Int32(1 << 8), answerWhileDown) : (0, [])
            let status = sw.finish()
            #expect(status == expectedStatus,
                    "switch \(name)'s batch session did not end as expected (wait status \(status.map(String.init) ?? "none, killed"))\n\(context())")
            #expect(sw.stderr.split(separator: "\n").map(String.init) == expectedErrors, "switch \(name) reported errors\n\(context())")
        }
    }

    // MARK: What the switches and the database say

    /// Runs `command` up to `attempts` times, 250 ms apart, until a line of its output
    /// satisfies `match` (answers and notifications reach the switch asynchronously).
    /// Bounds a wait only.
    private func poll(_ sw: SwitchProcess, _ command: String, attempts: Int = 40, _ match: (String) -> Bool) throws -> Bool {
        for attempt in 0..<attempts {
            if attempt > 0 { usleep(250_000) }
            let output = try sw.query([command])
            if output.split(separator: "\n").contains(where: { match(String($0)) }) { return true }
        }
        return false
    }

    /// Runs `sql` with psql until its output satisfies `match`, as `poll` does.
    private func pollSQL(_ server: PostgresServer, _ database: String, _ sql: String, _ match: (String) -> Bool) throws -> Bool {
        for attempt in 0..<40 {
            if attempt > 0 { usleep(250_000) }
            if match(try server.psql(sql, database: database)) { return true }
        }
        return false
    }

    /// The `show virt vm` row for `mac` as [IP, MAC, port, group if any], polled until it
    /// shows `port` (as VMMigrationLabTests does); the last row seen, empty when unlisted.
    private func vmRow(_ sw: SwitchProcess, _ mac: String, port: String) throws -> [String] {
        var fields: [String] = []
        for _ in 0..<20 {
            let output = try sw.query(["show virt vm"])
            // IP, MAC, index, port, group: the index depends on detection order, not checked.
            let row = output.split(separator: "\n").first { $0.contains(mac) }
            let columns = row.map { $0.split(separator: " ").map(String.init) } ?? []
            fields = columns.count >= 4 ? [columns[0], columns[1]] + columns[3...] : columns
            if fields.count >= 3 && fields[2] == port { break }
            usleep(250_000)
        }
        return fields
    }
}

/// `vmready policy` as an operator's script runs it against the lab's database.
private struct PolicyTool {
    let binary: String
    let uri: String
    let passwordFile: String

    func run(_ arguments: [String]) throws {
        let result = try HostProcesses.run([binary, "policy", "--db", uri, "--password-file", passwordFile] + arguments)
        guard result.succeeded else { throw LabFailure(description: "vmready policy failed: " + result.summary) }
    }
}
#endif
