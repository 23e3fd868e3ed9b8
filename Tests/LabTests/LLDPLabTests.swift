#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// The switch's LLDP against software nobody on this team wrote: lldpd (Debian 1.0.16) plays
/// two hypervisors, tshark decodes every LLDPDU the switch sent.
///
/// Hypervisor A (esx-a) is on port 1, a trunk carrying VLANs 1 and 100 with a description;
/// hypervisor B (esx-b) on port 2, an access port in VLAN 100 ("web"). Each lldpd sends every
/// second with its own TTL: A's short (it crashes and must age out), B's long (it stops
/// cleanly and must leave at once, long before its TTL). The switch boots from a startup
/// configuration, so every LLDPDU it sends, the first included, carries the same values.
@Suite(.serialized) struct LLDPLabTests {
    static let systemMAC = "02:56:4d:18:00:01"
    static let hostname = "tor-7"
    static let switchAddress = "198.18.0.1"
    /// `lldp refresh-interval` and `holdtime-multiplier`: the switch's TTL is their product.
    static let refreshInterval = 5
    static let holdtimeMultiplier = 3
    /// VLAN 1's name in VLAN Name TLVs (the switch's default name for it).
    static let defaultVLANName = "default"

    /// A hypervisor: what its lldpd advertises.
    struct Hypervisor {
        let systemName: String
        let mac: String
        let address: String
        let systemDescription: String
        /// lldpd's tx-hold: its TTL in seconds at a 1 s tx-interval.
        let hold: Int
        /// A locally assigned Port ID (and a port description), as ESXi names its vmnics;
        /// nil for lldpd's default, the MAC as Port ID and the interface name as description.
        let localPortID: String?
        let portDescription: String?
    }

    static let esxA = Hypervisor(systemName: "esx-a", mac: "02:18:00:00:01:0a", address: "198.18.1.10",
                                 systemDescription: "VMware ESXi 8.0.2 lab host A", hold: 4,
                                 localPortID: "vmnic0", portDescription: "vmnic0 uplink to tor-7")
    static let esxB = Hypervisor(systemName: "esx-b", mac: "02:18:00:00:02:0b", address: "198.18.2.10",
                                 systemDescription: "VMware ESXi 8.0.2 lab host B", hold: 20,
                                 localPortID: nil, portDescription: nil)

    /// The switch's configuration at boot.
    static let startupConfig = """
        hostname "\(hostname)"
        !
        system management-address \(switchAddress)
        !
        vlan 100
                name "web"
                exit
        !
        interface port 1
                description "esx-a vmnic0"
                switchport mode trunk
                switchport trunk allowed vlan 1,100
                exit
        !
        interface port 2
                switchport access vlan 100
                no lldp tlv dcbx
                exit
        !
        lldp refresh-interval \(refreshInterval)
        lldp holdtime-multiplier \(holdtimeMultiplier)
        dcbx ets priority-group 0 priorities 0-2,4-7 bandwidth 60
        dcbx ets priority-group 1 priorities 3 bandwidth 40
        dcbx pfc priority 3
        dcbx application ethertype 0x8906 priority 3
        dcbx enable
        !
        end

        """

    @Test(.enabled(if: geteuid() == 0,
                   "needs root: the lab test creates network namespaces and veth pairs and runs lldpd (CI runs it as root)"))
    func lldpdAndTsharkAgreeWithTheSwitch() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "lldpd", "lldpcli", "tshark"] { _ = try HostProcesses.executable(tool) }

        let lab = try LabTopology(hostCount: 2)
        defer { lab.tearDown() }
        try lab.create()
        let (hostA, hostB) = (lab.hosts[0], lab.hosts[1])
        for (host, hypervisor) in [(hostA, Self.esxA), (hostB, Self.esxB)] {
            // A pinned MAC is lldpd's Chassis ID (and B's Port ID); the address its -m matches.
            try HostProcesses.mustRun(host.command(["ip", "link", "set", "dev", host.hostSide, "address", hypervisor.mac]))
            try lab.address(host, hypervisor.address + "/24")
        }

        let captures = lab.scratch + "/captures"
        try FileManager.default.createDirectory(atPath: captures, withIntermediateDirectories: true)
        let config = lab.scratch + "/startup.cfg"
        try Self.startupConfig.write(toFile: config, atomically: true, encoding: .utf8)
        // configure's marker is a VLAN no port carries: a marker hostname would be in the LLDPDUs.
        let sw = try lab.startSwitch(binary, extra: ["--system-mac", Self.systemMAC, "--capture", captures,
                                                     "--startup-config", config],
                                     syncMarker: .vlanName(vid: 3999))
        defer { sw.stop() }

        let lldpdA = try startLLDPD(Self.esxA, on: hostA, in: lab)
        defer { lldpdA.kill() }
        let lldpdB = try startLLDPD(Self.esxB, on: hostB, in: lab)
        defer { lldpdB.kill() }

        // Evaluated only when an expectation fails.
        func context() -> Comment {
            let state = (try? sw.query(["show lldp", "show lldp remote-device detail", "show lldp statistics",
                                        "show logging"])) ?? "(vmready did not answer)\n"
            return "--- switch state ---\n\(state)\(sw.transcript)\n\(lldpdA.log)\n\(lldpdB.log)\n\(lab.state)"
        }

        // (1) The switch hears both hypervisors, each on its own port.
        let portIDB = Self.esxB.mac
        let expectedRows = [["1", Self.esxA.mac, "vmnic0", "esx-a", "NB"], ["2", Self.esxB.mac, portIDB, "esx-b", "NB"]]
        let rows = try remoteDevices(sw, timeout: 20) { $0 == expectedRows }
        #expect(rows == expectedRows, "show lldp remote-device does not list esx-a on port 1 and esx-b on port 2\n\(context())")

        let detailA = try detail(sw, port: 1)
        #expect(detailA["Chassis ID"] == "\(Self.esxA.mac) (MAC address)", "\(detailA)\n\(context())")
        #expect(detailA["Port ID"] == "vmnic0 (locally assigned)", "\(detailA)\n\(context())")
        #expect(detailA["Port description"] == Self.esxA.portDescription, "\(detailA)\n\(context())")
        #expect(detailA["System name"] == "esx-a", "\(detailA)\n\(context())")
        #expect(detailA["System description"] == Self.esxA.systemDescription, "\(detailA)\n\(context())")
        #expect(detailA["Management address"]?.hasPrefix(Self.esxA.address + " (interface ifIndex ") == true,
                "\(detailA)\n\(context())")
        #expect(detailA["Time to live"]?.hasPrefix("\(Self.esxA.hold) seconds") == true, "\(detailA)\n\(context())")
        let detailB = try detail(sw, port: 2)
        #expect(detailB["Chassis ID"] == "\(Self.esxB.mac) (MAC address)", "\(detailB)\n\(context())")
        #expect(detailB["Port ID"] == "\(portIDB) (MAC address)", "\(detailB)\n\(context())")
        #expect(detailB["Port description"] == hostB.hostSide, "\(detailB)\n\(context())")
        #expect(detailB["System name"] == "esx-b", "\(detailB)\n\(context())")
        #expect(detailB["System description"] == Self.esxB.systemDescription, "\(detailB)\n\(context())")
        #expect(detailB["Management address"]?.hasPrefix(Self.esxB.address + " (interface ifIndex ") == true,
                "\(detailB)\n\(context())")
        #expect(detailB["Time to live"]?.hasPrefix("\(Self.esxB.hold) seconds") == true, "\(detailB)\n\(context())")

        // (2) Each lldpd hears the switch as the switch describes itself.
        let ttl = String(Self.refreshInterval * Self.holdtimeMultiplier)
        var expectedA = LLDPDNeighbor()
        expectedA.interface = hostA.hostSide
        expectedA.chassisIDType = "mac"
        expectedA.chassisID = Self.systemMAC
        expectedA.systemName = Self.hostname
        expectedA.systemDescription = "VMready 0.1.0"
        expectedA.managementIPs = [Self.switchAddress]
        expectedA.capabilities = ["Bridge": true]
        expectedA.portIDType = "ifname"
        expectedA.portID = "port 1"
        expectedA.portDescription = "esx-a vmnic0"
        expectedA.timeToLive = ttl
        expectedA.vlans = [.init(id: "1", pvid: true, name: Self.defaultVLANName), .init(id: "100", pvid: false, name: "web")]
        var expectedB = expectedA
        expectedB.interface = hostB.hostSide
        expectedB.portID = "port 2"
        // No description on port 2: the switch sends no Port Description TLV.
        expectedB.portDescription = ""
        expectedB.vlans = [.init(id: "100", pvid: true, name: "web")]
        for (daemon, expected) in [(lldpdA, expectedA), (lldpdB, expectedB)] {
            let heard = try daemon.neighbors(timeout: 20) { $0 == [expected] }
            #expect(heard == [expected], "lldpd in \(daemon.host.namespace) does not see the switch as expected\n\(context())")
        }
        print("LLDPLabTests: lldpcli show neighbors details -f json in \(hostA.namespace)\n"
              + (try HostProcesses.run(["lldpcli", "-u", lldpdA.socket, "show", "neighbors", "details", "-f", "json"]).stdout))

        // (3a) esx-a crashes: no shutdown LLDPDU, so the switch keeps it until its TTL runs out.
        let agedBefore = try sw.query(["show logging"]).components(separatedBy: "aged out on port 1").count
        lldpdA.crash()
        var left = try remoteDevices(sw, timeout: 20) { !$0.contains { $0.first == "1" } }
        #expect(left == [expectedRows[1]], "esx-a did not age out of port 1 after its lldpd was killed\n\(context())")
        let agedOut = "LLDP NB neighbor esx-a (chassis \(Self.esxA.mac), port vmnic0) aged out on port 1"
        let logAfterCrash = try sw.query(["show logging"])
        #expect(logAfterCrash.contains(agedOut) && logAfterCrash.components(separatedBy: "aged out on port 1").count > agedBefore,
                "show logging does not say esx-a aged out on port 1\n\(context())")
        #expect(try statistics(sw, port: 1)["Aged out"] == "1", "\(context())")

        // (3b) Port 2 stops sending (rx_only): its shutdown LLDPDU makes esx-b's lldpd forget
        // the switch at once, long before the switch's TTL; the switch still hears esx-b.
        try sw.configure(["configure terminal", "interface port 2", "lldp admin-status rx_only", "end"])
        let forgotten = try lldpdB.neighbors(timeout: Double(Self.refreshInterval * Self.holdtimeMultiplier) / 2) { $0.isEmpty }
        #expect(forgotten.isEmpty, "lldpd on port 2 still lists the switch after port 2's shutdown LLDPDU\n\(context())")
        #expect(try remoteDevices(sw, timeout: 0) { _ in true } == [expectedRows[1]], "\(context())")

        // (3c) esx-b's lldpd stops cleanly: its shutdown LLDPDU removes it at once, long before its TTL.
        try lldpdB.stop()
        left = try remoteDevices(sw, timeout: Double(Self.esxB.hold) / 2) { $0.isEmpty }
        #expect(left.isEmpty, "esx-b is still listed on port 2 after its lldpd stopped (it sends a shutdown LLDPDU)\n\(context())")
        let leftLine = "LLDP NB neighbor esx-b (chassis \(Self.esxB.mac), port \(portIDB)) left port 2 (shutdown LLDPDU)"
        #expect(try sw.query(["show logging"]).contains(leftLine), "show logging does not say esx-b left port 2\n\(context())")

        // Port 2 sends nothing more: its count is what its capture must hold.
        let sentOnPort2 = try statistics(sw, port: 2)["Frames out"]
        #expect(sw.isRunning, "vmready exited during the lab test\n\(context())")
        let status = sw.finish()
        #expect(status == 0, "the batch session did not end cleanly (wait status \(status.map(String.init) ?? "none, killed"))\n\(context())")
        #expect(sw.stderr.isEmpty, "vmready reported errors\n\(context())")

        // (4) tshark decodes every LLDPDU the switch sent, with the values configured.
        let port1 = try TsharkLLDP.read(captures + "/port-1.pcap")
        let port2 = try TsharkLLDP.read(captures + "/port-2.pcap")
        let expected1 = TsharkLLDP.Frame(source: Self.systemMAC, chassisID: Self.systemMAC, portIDSubtype: "5", portID: "port 1",
                                         timeToLive: ttl, systemName: Self.hostname, systemDescription: "VMready 0.1.0",
                                         bridgeEnabled: "1", portDescription: "esx-a vmnic0",
                                         managementAddress: Self.switchAddress, portVLANID: "1", vlanIDs: "1,100",
                                         vlanNames: Self.defaultVLANName + ",web")
        var expected2 = expected1
        expected2.portID = "port 2"
        expected2.portDescription = ""
        expected2.portVLANID = "100"
        expected2.vlanIDs = "100"
        expected2.vlanNames = "web"
        // Boot's fast start alone is 4 LLDPDUs on each port; each port's last is its shutdown
        // LLDPDU: port 1's when the switch stopped, port 2's when it went rx_only (it said
        // goodbye once, so stopping sent it nothing more).
        #expect(port1.frames.count >= 5 && port1.frames.dropLast().allSatisfy { $0 == expected1 },
                "port 1's LLDPDUs, decoded by tshark, differ from what the switch was configured to send:\n\(port1.frames)")
        #expect(port2.frames.count >= 5 && port2.frames.dropLast().allSatisfy { $0 == expected2 },
                "port 2's LLDPDUs, decoded by tshark, differ from what the switch was configured to send:\n\(port2.frames)")
        for (port, capture) in [(1, port1), (2, port2)] {
            // The mandatory TLVs with TTL 0, nothing else.
            let shutdown = TsharkLLDP.Frame(source: Self.systemMAC, chassisID: Self.systemMAC, portIDSubtype: "5",
                                            portID: "port \(port)", timeToLive: "0", systemName: "", systemDescription: "",
                                            bridgeEnabled: "", portDescription: "", managementAddress: "", portVLANID: "",
                                            vlanIDs: "", vlanNames: "")
            #expect(capture.frames.last == shutdown, "port \(port)'s last LLDPDU is not its shutdown LLDPDU:\n\(capture.frames)")
        }
        #expect(sentOnPort2 == String(port2.frames.count),
                "show lldp statistics counted \(sentOnPort2 ?? "?") frames out on port 2, its capture holds \(port2.frames.count)")
        for capture in [port1, port2] {
            #expect(capture.otherFrames == 0, "\(capture.path) holds \(capture.otherFrames) frames that are not the switch's LLDPDUs")
            #expect(capture.flagged.isEmpty, "tshark flags frames in \(capture.path) as malformed or with expert info:\n\(capture.flagged)")
            #expect(!capture.firstDecode.contains("Malformed") && capture.firstDecode.contains("End of LLDPDU"),
                    "tshark -V of \(capture.path)'s first LLDPDU:\n\(capture.firstDecode)")
        }
        // DCBX rides port 1's LLDPDUs (port 2 leaves it out): ETS Configuration and
        // Recommendation (so each ETS field twice), PFC on priority 3, FCoE at priority 3.
        let dcbx = try TsharkLLDP.fields(captures + "/port-1.pcap", filter: "lldp.time_to_live != 0",
                                         ["lldp.dcbx.ieee.willing", "lldp.dcbx.feature.pg.pgid_prio3",
                                          "lldp.dcbx.feature.pg.pgid_prio0", "lldp.dcbx.feature.pg.per0",
                                          "lldp.dcbx.feature.pg.per1", "lldp.dcbx.feature.pfc.prio3",
                                          "lldp.dcbx.feature.pfc.prio4", "lldp.dcbx.ieee.app.prio", "lldp.dcbx.feature.app.proto"])
        #expect(!dcbx.isEmpty && dcbx.allSatisfy { $0 == "0,0|1,1|0,0|60,60|40,40|1|0|3|0x8906" },
                "port 1's DCBX TLVs, decoded by tshark:\n\(dcbx)")
        #expect(try TsharkLLDP.fields(captures + "/port-2.pcap", filter: "lldp.dcbx.ieee.willing", ["frame.number"]).isEmpty)
        print("LLDPLabTests: tshark -V, the first LLDPDU on port 1\n" + port1.firstDecode)
    }

    // MARK: lldpd

    /// lldpd as a hypervisor: 1 s tx-interval, `hold` for its TTL, and the port's ID and
    /// description when set.
    private func startLLDPD(_ hypervisor: Hypervisor, on host: LabHost, in lab: LabTopology) throws -> LLDPDaemon {
        var lines = [
            "configure system hostname \(hypervisor.systemName)",
            "configure system description \"\(hypervisor.systemDescription)\"",
            "configure lldp tx-interval 1",
            "configure lldp tx-hold \(hypervisor.hold)",
        ]
        if let id = hypervisor.localPortID { lines.append("configure ports \(host.hostSide) lldp portidsubtype local \(id)") }
        if let text = hypervisor.portDescription { lines.append("configure ports \(host.hostSide) lldp portdescription \"\(text)\"") }
        return try LLDPDaemon(host: host, scratch: lab.scratch, managementAddress: hypervisor.address, configuration: lines)
    }

    // MARK: What the switch says

    /// `show lldp remote-device` as rows of [LocalPort, Remote Chassis ID, Remote Port,
    /// Remote System Name, DMAC] (the index depends on arrival order), polled until
    /// `accept` takes them or `timeout` seconds pass; the last seen.
    private func remoteDevices(_ sw: SwitchProcess, timeout: Double, until accept: ([[String]]) -> Bool) throws -> [[String]] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let output = try sw.query(["show lldp remote-device"])
            // Never "no neighbours" for output that is not the table.
            guard output.contains("LocalPort | Index | Remote Chassis ID") else {
                throw LabFailure(description: "show lldp remote-device printed no table:\n\(output)\n\(sw.transcript)")
            }
            let rows = output.split(separator: "\n").compactMap { line -> [String]? in
                let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count == 6, Int(cells[0]) != nil else { return nil }
                return [cells[0]] + cells[2...]
            }
            if accept(rows) || Date() >= deadline { return rows }
            usleep(250_000)
        }
    }

    /// `show lldp remote-device detail port P` as label → value (a label's first line).
    private func detail(_ sw: SwitchProcess, port: Int) throws -> [String: String] {
        labelled(try sw.query(["show lldp remote-device detail port \(port)"]))
    }

    /// One port's `show lldp statistics` row by column heading.
    private func statistics(_ sw: SwitchProcess, port: Int) throws -> [String: String] {
        let lines = try sw.query(["show lldp statistics port \(port)"]).split(separator: "\n")
        guard let row = lines.first(where: { $0.hasPrefix(String(port) + " ") }) else { return [:] }
        let headings = ["Port", "Frames out", "Frames in", "Discarded", "Ignored", "TLVs unrecognised", "Inserts",
                        "Deletes", "Table full", "Aged out"]
        let cells = row.split(separator: " ").map(String.init)
        return cells.count == headings.count ? Dictionary(uniqueKeysWithValues: zip(headings, cells)) : [:]
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
}
#endif
