#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// The switch as an AgentX subagent of a real snmpd (net-snmp 5.9.3, `SNMPDaemon`), read
/// with snmpwalk over SNMPv2c and SNMPv3 (authPriv) and compared with what the switch
/// shows: an lldpd neighbour on port 1 (LLDP-MIB), ping traffic between two hosts
/// (IF-MIB counters, BRIDGE-MIB and Q-BRIDGE-MIB's MAC table), a port shut down, snmpd
/// restarted, and the subagent turned off.
@Suite(.serialized) struct SNMPLabTests {
    static let systemMAC = "02:56:4d:18:00:07"
    static let hostMACs = ["02:18:00:00:07:01", "02:18:00:00:07:02"]
    static let addresses = ["198.18.0.1", "198.18.0.2"]

    static let ifNumber = "1.3.6.1.2.1.2.1.0"
    static let ifEntry = "1.3.6.1.2.1.2.2.1"
    static let ifXEntry = "1.3.6.1.2.1.31.1.1.1"
    static let dot1dBaseBridgeAddress = ".1.3.6.1.2.1.17.1.1.0"
    static let dot1qTpFdbPort = "1.3.6.1.2.1.17.7.1.2.2.1.2"
    static let lldpRemEntry = "1.0.8802.1.1.2.1.4.1.1"

    @Test(.enabled(if: geteuid() == 0,
                   "needs root: the lab test creates network namespaces and veth pairs and runs lldpd (CI runs it as root)"))
    func snmpwalkReadsWhatTheSwitchShows() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "ping", "lldpd", "lldpcli", "snmpd", "snmpwalk"] { _ = try HostProcesses.executable(tool) }

        let lab = try LabTopology(hostCount: 2)
        defer { lab.tearDown() }
        try lab.create()
        for (index, host) in lab.hosts.enumerated() {
            try HostProcesses.mustRun(host.command(["ip", "link", "set", "dev", host.hostSide, "address", Self.hostMACs[index]]))
            try lab.address(host, Self.addresses[index] + "/24")
        }
        let snmpd = try SNMPDaemon(scratch: lab.scratch)
        defer { snmpd.stop() }

        let sw = try lab.startSwitch(binary, extra: ["--system-mac", Self.systemMAC])
        defer { sw.stop() }
        try sw.configure(["configure terminal", "interface port 1", "description \"esx-a vmnic0\"", "exit",
                          "snmp-server enable agentx socket \"\(snmpd.socket)\"", "end"])

        // Evaluated only when an expectation fails.
        func context() -> Comment {
            let state = (try? sw.query(["show snmp", "show interface", "show interface counters", "show mac-address-table",
                                        "show lldp remote-device detail", "show logging"])) ?? "(vmready did not answer)\n"
            return "--- switch state ---\n\(state)\(sw.transcript)\n\(snmpd.log)\n\(lab.state)"
        }

        // The subagent connects and registers: snmpd answers ifNumber from the switch.
        var walked = try poll(timeout: 20) { try snmpd.walk(Self.ifNumber) } until: { !$0.isEmpty }
        #expect(walked[".\(Self.ifNumber)"] == "INTEGER: 2", "ifNumber: \(walked)\n\(context())")

        // (1) LLDP-MIB: lldpd on host 1 is a neighbour on port 1, as show lldp says.
        let lldpd = try LLDPDaemon(host: lab.hosts[0], scratch: lab.scratch, managementAddress: Self.addresses[0],
                                   configuration: ["configure system hostname esx-a",
                                                   "configure system description \"lab host A\"",
                                                   "configure lldp tx-interval 1"])
        defer { lldpd.kill() }
        let index = try poll(timeout: 20) { try neighbourIndex(sw, port: 1) } until: { $0 != nil }
        let detail = labelled(try sw.query(["show lldp remote-device detail port 1"]))
        let remote = try poll(timeout: 10) { try snmpd.walk(Self.lldpRemEntry) } until: { !$0.isEmpty }
        let row = { (column: Int) in remote[".\(Self.lldpRemEntry).\(column).0.1.\(index ?? -1)"] }
        #expect(row(4) == "INTEGER: 4", "lldpRemChassisIdSubtype macAddress(4)\n\(remote)\n\(context())")
        #expect(row(5).map(Self.mac) == detail["Chassis ID"].map { String($0.prefix(17)) },
                "lldpRemChassisId \(row(5) ?? "none") vs show lldp \(detail["Chassis ID"] ?? "none")\n\(context())")
        #expect(row(6) == "INTEGER: 3", "lldpRemPortIdSubtype macAddress(3), lldpd's default\n\(remote)")
        #expect(row(7).map(Self.mac) == detail["Port ID"].map { String($0.prefix(17)) }, "\(remote)\n\(context())")
        #expect(row(8) == "STRING: \"\(detail["Port description"] ?? "?")\"", "\(remote)\n\(context())")
        #expect(row(9) == "STRING: \"esx-a\"" && detail["System name"] == "esx-a", "\(remote)\n\(context())")
        #expect(row(10) == "STRING: \"lab host A\"" && detail["System description"] == "lab host A", "\(remote)\n\(context())")
        print("SNMPLabTests: snmpwalk -v2c -On \(Self.lldpRemEntry)\n" + Self.render(remote))

        // A quiet network from here: lldpd says goodbye, the switch stops LLDP.
        try lldpd.stop()
        try sw.configure(["configure terminal", "no lldp enable", "end"])

        // (2) IF-MIB: ping through the switch; snmpwalk over v2c reads the counters `show
        // interface counters` shows (read before and after: nothing moves meanwhile).
        #expect(try lab.hosts[0].ping(Self.addresses[1], attempts: 5), "no ping through the switch\n\(context())")
        let before = try sw.portCounters()
        let ifTable = try snmpd.walk(Self.ifEntry)
        let ifXTable = try snmpd.walk(Self.ifXEntry)
        let after = try sw.portCounters()
        for port in 1...2 {
            guard let a = before[port], let b = after[port], a.count >= 9, b.count >= 9 else {
                Issue.record("show interface counters has no row for port \(port)\n\(context())")
                continue
            }
            #expect(a[1] > 0 && a[3] > 0, "no traffic counted on port \(port)\n\(context())")
            func within(_ value: String?, _ column: Int, _ what: String) {
                let number = value.flatMap { Int($0.split(separator: " ").last ?? "") }
                #expect(number.map { a[column] <= $0 && $0 <= b[column] } == true,
                        "\(what) of port \(port) is \(value ?? "missing"); show interface counters: \(a[column])...\(b[column])\n\(context())")
            }
            within(ifXTable[".\(Self.ifXEntry).6.\(port)"], 1, "ifHCInOctets")
            within(ifXTable[".\(Self.ifXEntry).10.\(port)"], 3, "ifHCOutOctets")
            within(ifTable[".\(Self.ifEntry).10.\(port)"], 1, "ifInOctets")
            within(ifTable[".\(Self.ifEntry).16.\(port)"], 3, "ifOutOctets")
            #expect(ifTable[".\(Self.ifEntry).2.\(port)"] == "STRING: \"VMready port \(port)\"", "\(ifTable)")
            #expect(ifTable[".\(Self.ifEntry).3.\(port)"] == "INTEGER: 6", "ifType ethernetCsmacd\n\(ifTable)")
            #expect(ifTable[".\(Self.ifEntry).8.\(port)"] == "INTEGER: 1", "ifOperStatus up\n\(ifTable)")
            #expect(ifXTable[".\(Self.ifXEntry).1.\(port)"] == "STRING: \"\(port)\"", "ifName\n\(ifXTable)")
        }
        #expect(ifXTable[".\(Self.ifXEntry).18.1"] == "STRING: \"esx-a vmnic0\"", "ifAlias\n\(ifXTable)")
        print("SNMPLabTests: snmpwalk -v2c -On \(Self.ifXEntry)\n" + Self.render(ifXTable))

        // SNMPv3 with authentication and privacy reads the same values.
        let v3 = try snmpd.walk(Self.ifXEntry, .v3)
        #expect(v3 == ifXTable, "snmpwalk -v3 authPriv differs from -v2c:\n\(Self.render(v3))\n\(context())")

        // (3) BRIDGE-MIB and Q-BRIDGE-MIB: the MAC table as show mac-address-table lists it.
        let shown = Set(try sw.query(["show mac-address-table"]).split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: " ")
            guard cells.count >= 3, cells[0].split(separator: ":").count == 6 else { return nil }
            return "\(cells[0]) vlan \(cells[1]) port \(cells[2])"
        })
        let fdb = try snmpd.walk(Self.dot1qTpFdbPort, .v3)
        let served = Set(fdb.map { oid, value in
            let index = oid.dropFirst(Self.dot1qTpFdbPort.count + 2).split(separator: ".").compactMap { Int($0) }
            let mac = index.dropFirst().map { String(format: "%02x", $0) }.joined(separator: ":")
            return "\(mac) vlan \(index.first ?? -1) port \(value.split(separator: " ").last ?? "")"
        })
        #expect(shown.contains("\(Self.hostMACs[0]) vlan 1 port 1") && shown.contains("\(Self.hostMACs[1]) vlan 1 port 2"),
                "the switch did not learn both hosts\n\(context())")
        #expect(served == shown, "dot1qTpFdbPort \(served.sorted()) vs show mac-address-table \(shown.sorted())\n\(context())")
        let base = try snmpd.walk("1.3.6.1.2.1.17.1")
        #expect(base[Self.dot1dBaseBridgeAddress].map(Self.mac) == Self.systemMAC, "\(base)")
        print("SNMPLabTests: snmpwalk -v3 -On \(Self.dot1qTpFdbPort)\n" + Self.render(fdb))

        // (4) A port shut down is down in ifAdminStatus and ifOperStatus (the snapshot is at
        // most a second old: polled).
        try sw.configure(["configure terminal", "interface port 2", "shutdown", "end"])
        #expect(try sw.query(["show interface port 2"]).contains("down"), "\(context())")
        walked = try poll(timeout: 10) { try snmpd.walk(Self.ifEntry + ".8.2") } until: { $0.values.first == "INTEGER: 2" }
        #expect(walked.values.first == "INTEGER: 2", "ifOperStatus of port 2 after shutdown: \(walked)\n\(context())")
        #expect(try snmpd.walk(Self.ifEntry + ".7.2").values.first == "INTEGER: 2", "ifAdminStatus\n\(context())")

        // (5) snmpd restarts: the subagent notices and registers again.
        snmpd.stop()
        try snmpd.start()
        walked = try poll(timeout: 30) { try snmpd.walk(Self.ifNumber) } until: { !$0.isEmpty }
        #expect(walked[".\(Self.ifNumber)"] == "INTEGER: 2", "the subagent did not come back after snmpd restarted\n\(context())")
        let status = try sw.query(["show snmp"])
        #expect(status.contains("Connection:           connected") && status.contains("Connections made:     2"),
                "show snmp after the restart:\n\(status)\n\(context())")

        // (6) Turned off: the switch's objects leave snmpd's tree.
        try sw.configure(["configure terminal", "no snmp-server enable agentx", "end"])
        walked = try poll(timeout: 10) { try snmpd.walk("1.3.6.1.2.1.2") } until: { $0.isEmpty }
        #expect(walked.isEmpty, "the switch's IF-MIB is still in snmpd after no snmp-server enable agentx\n\(context())")
        #expect(try snmpd.walk("1.3.6.1.2.1.17").isEmpty, "BRIDGE-MIB still there\n\(context())")
        #expect(try sw.query(["show snmp"]).contains("AgentX subagent: disabled"), "\(context())")

        #expect(sw.isRunning, "vmready exited during the lab test\n\(context())")
        let exit = sw.finish()
        #expect(exit == 0, "the batch session did not end cleanly (wait status \(exit.map(String.init) ?? "none, killed"))\n\(context())")
        #expect(sw.stderr.isEmpty, "vmready reported errors\n\(context())")
    }

    // MARK: Helpers

    /// `body` run until `accept` takes its result or `timeout` seconds pass; the last result.
    /// Bounds a wait (the subagent connecting, the snapshot's second); nothing is timed.
    private func poll<T>(timeout: Double, _ body: () throws -> T, until accept: (T) -> Bool) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let value = try body()
            if accept(value) || Date() >= deadline { return value }
            usleep(250_000)
        }
    }

    /// The Index column of `show lldp remote-device`'s row for `port`, nil without one.
    private func neighbourIndex(_ sw: SwitchProcess, port: Int) throws -> Int? {
        for line in try sw.query(["show lldp remote-device"]).split(separator: "\n") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count == 6, cells[0] == String(port) { return Int(cells[1]) }
        }
        return nil
    }

    private func labelled(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let label = line[..<colon].trimmingCharacters(in: .whitespaces)
            if out[label] == nil { out[label] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return out
    }

    /// `Hex-STRING: 02 18 00 00 07 01` as `02:18:00:00:07:01`.
    static func mac(_ value: String) -> String {
        value.replacingOccurrences(of: "Hex-STRING:", with: "").split(separator: " ").joined(separator: ":").lowercased()
    }

    static func render(_ walk: [String: String]) -> String {
        walk.sorted { $0.key.split(separator: ".").map { Int($0) ?? 0 }.lexicographicallyPrecedes($1.key.split(separator: ".").map { Int($0) ?? 0 }) }
            .map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
    }
}
#endif
