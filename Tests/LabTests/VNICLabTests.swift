#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// vNICs with Linux itself as the server: the host on port 1 plays a converged NIC cut
/// into S-channels (802.1ad sub-interfaces of its veth, S-VID = vNIC index), the hosts on
/// the other ports are plain stations or the upstream bridge, and ping and tcpdump prove
/// what switching.md "vNICs" promises for switch mode, vNIC groups and I/O-extender mode.
///
/// Addresses come only from 198.18.0.0/15 and live only inside the namespaces the tests
/// create and remove. Every host shares one subnet, so only the switch keeps them apart;
/// each ping is bound to its S-channel (`ping -I`), so the host's routing never picks.
@Suite(.serialized) struct VNICLabTests {
    static let server1 = "198.18.0.11", server2 = "198.18.0.12"
    static let station2 = "198.18.0.2", station3 = "198.18.0.3"
    static let upstreamChannel1 = "198.18.0.21"
    /// C-VLAN 30 inside group 1's tunnel: a subnet of its own, so routing needs no help.
    static let server2VLAN30 = "198.18.1.12", station3VLAN30 = "198.18.1.3"

    /// vNICs 1.1 and 1.2 on; 1.1 is a bridge port with the default switchport (access
    /// VLAN 1, like port 2), 1.2 is the member of group 1, a tunnel in VLAN 100 whose
    /// uplink is port 3.
    static let switchModeConfig = """
        vlan 100
                exit
        vnic enable
        vnic port 1 index 1
                enable
                exit
        vnic port 1 index 2
                enable
                exit
        vnic vnicgroup 1
                vlan 100
                member 1.2
                port 3
                enable
                exit
        """

    /// vNIC 1.1 on, port 1 an I/O extender whose upstream is port 2 (the upstream first:
    /// the mode needs one).
    static let ioExtenderConfig = """
        vnic enable
        vnic port 1 index 1
                enable
                exit
        vnic port 1 io-extender upstream 2
        vnic port 1 mode io-extender
        """

    // Namespaces, veths and packet sockets need root; CI runs the tests as root.
    @Test(.enabled(if: geteuid() == 0,
                   "needs root: the lab test creates network namespaces and veth pairs (CI runs it as root)"))
    func switchModeSChannelsAreBridgePortsAndGroupsAreIsolated() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping"] { _ = try HostProcesses.executable(tool) }

        let lab = try LabTopology(hostCount: 3)
        defer { lab.tearDown() }
        try lab.create()
        let (server, h2, h3) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        let channel1 = try lab.addVLANInterface(server, vid: 1, sTag: true, cidr: Self.server1 + "/24")
        let channel2 = try lab.addVLANInterface(server, vid: 2, sTag: true, cidr: Self.server2 + "/24")
        print("VNICLabTests: the server's S-channels \(channel1.name) and \(channel2.name) are \(channel1.kind)s")
        // Each S-channel answers out of itself: with two interfaces in one subnet the
        // server would otherwise send every reply out of the first one.
        try routeReplies(in: server, from: Self.server1, via: channel1.name, table: 101)
        try routeReplies(in: server, from: Self.server2, via: channel2.name, table: 102)
        try lab.address(h2, Self.station2 + "/24")
        try lab.address(h3, Self.station3 + "/24")
        // C-VLAN 30 on S-channel 2 (802.1Q on top of the 802.1ad sub-interface) and on
        // port 3's host: the group carries the inner tag as payload, out of its uplink.
        let channel2VLAN30 = try lab.addVLANInterface(server, on: channel2.name, vid: 30, cidr: Self.server2VLAN30 + "/24")
        let h3VLAN30 = try lab.addVLANInterface(h3, vid: 30, cidr: Self.station3VLAN30 + "/24")

        let sw = try startSwitch(binary, lab: lab, config: Self.switchModeConfig)
        defer { sw.stop() }
        func context() -> Comment { diagnosis(sw, lab) }

        // vNIC 1.1 is a bridge port in VLAN 1: S-channel 1 and port 2 reach each other,
        // the switch stripping S-VID 1 one way and pushing it the other.
        // The first pings may go out before the switch has opened its pcap handles.
        #expect(try server.ping(Self.station2, device: channel1.name, count: 2, attempts: 5),
                "S-channel 1 (vNIC 1.1, VLAN 1) cannot reach port 2\n\(context())")
        #expect(try h2.ping(Self.server1, count: 2, attempts: 2), "port 2 cannot reach S-channel 1\n\(context())")

        // vNIC 1.2 is in group 1: its tunnel ends at port 3, untagged there.
        #expect(try server.ping(Self.station3, device: channel2.name, count: 2, attempts: 3),
                "S-channel 2 (vNIC 1.2, group 1) cannot reach the group's uplink port 3\n\(context())")
        #expect(try h3.ping(Self.server2, count: 2, attempts: 2), "port 3 cannot reach S-channel 2\n\(context())")
        // Inner tags cross the tunnel unchanged: VLAN 30 exists nowhere on the switch, yet
        // C-VLAN 30 in S-channel 2 reaches port 3's VLAN 30 interface and back.
        #expect(try server.ping(Self.station3VLAN30, device: channel2VLAN30.name, count: 2, attempts: 2),
                "C-VLAN 30 in S-channel 2 (\(channel2VLAN30.kind)) cannot reach port 3's VLAN 30 (\(h3VLAN30.kind)) through group 1\n\(context())")

        // The switch learned each S-channel on its own logical port, in its own VLAN.
        let table = try sw.query(["show mac-address-table"])
        for (channel, port, vlan) in [(channel1.name, "1.1", "1"), (channel2.name, "1.2", "100")] {
            let mac = try macAddress(of: channel, in: server)
            #expect(table.split(separator: "\n").contains { row in
                row.split(separator: " ").map(String.init).prefix(3) == [mac, vlan, port]
            }, "show mac-address-table has no \(mac) in VLAN \(vlan) on \(port)\n\(table)\n\(context())")
        }

        // Nothing leaves the group and nothing enters it: same subnet, so only the switch
        // keeps them apart; neighbours are forgotten so that every ping must ARP again.
        for host in [server, h2, h3] { try lab.flushNeighbours(host) }
        #expect(try !server.ping(Self.station2, device: channel2.name, count: 2, attempts: 1),
                "S-channel 2 (group 1) reached port 2 (VLAN 1)\n\(context())")
        #expect(try !server.ping(Self.station3, device: channel1.name, count: 2, attempts: 1),
                "S-channel 1 (VLAN 1) reached port 3, the uplink of group 1\n\(context())")
        #expect(try !h2.ping(Self.station3, count: 2, attempts: 1), "port 2 (VLAN 1) reached port 3, the uplink of group 1\n\(context())")
        // ...while both paths still forward: the silence above is isolation.
        #expect(try server.ping(Self.station3, device: channel2.name, count: 2, attempts: 2),
                "S-channel 2 cannot reach port 3 after the isolation checks\n\(context())")
        #expect(try server.ping(Self.station2, device: channel1.name, count: 2, attempts: 2),
                "S-channel 1 cannot reach port 2 after the isolation checks\n\(context())")

        try finish(sw, context: context)
    }

    @Test(.enabled(if: geteuid() == 0,
                   "needs root: the lab test creates network namespaces and veth pairs (CI runs it as root)"))
    func ioExtenderCarriesSTagsToTheUpstreamUnchanged() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping", "tcpdump"] { _ = try HostProcesses.executable(tool) }

        let lab = try LabTopology(hostCount: 3)
        defer { lab.tearDown() }
        try lab.create()
        let (server, upstream, h3) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        let channel1 = try lab.addVLANInterface(server, vid: 1, sTag: true, cidr: Self.server1 + "/24")
        // The upstream plays the controlling bridge: it terminates S-channel 1 itself.
        let upstreamChannel = try lab.addVLANInterface(upstream, vid: 1, sTag: true, cidr: Self.upstreamChannel1 + "/24")
        try lab.address(h3, Self.station3 + "/24")

        // What arrives on the upstream's wire, every frame, tags as they were sent (libpcap
        // puts back the tag the kernel took out); packet-buffered, so nothing is lost
        // when tcpdump is killed.
        let capture = lab.scratch + "/upstream.pcap"
        let tcpdump = try HostProcesses.spawn(upstream.command(["tcpdump", "-n", "-U", "-Z", "root", "-i", upstream.hostSide, "-w", capture]),
                                              stdoutPath: lab.scratch + "/tcpdump.out", stderrPath: lab.scratch + "/tcpdump.err")
        defer { HostProcesses.kill(tcpdump) }
        try HostProcesses.waitForCapture(lab.scratch + "/tcpdump.err")

        let sw = try startSwitch(binary, lab: lab, config: Self.ioExtenderConfig)
        defer { sw.stop() }
        func context() -> Comment { diagnosis(sw, lab) }

        // Both ways through the extender: S-VID 1 from the server out of the upstream
        // unchanged, and S-VID 1 from the upstream back to port 1.
        #expect(try server.ping(Self.upstreamChannel1, device: channel1.name, count: 2, attempts: 5),
                "S-channel 1 cannot reach the upstream's S-channel 1 through the I/O extender\n\(context())")
        // No local switching: port 3, untagged in VLAN 1, is out of reach.
        #expect(try !server.ping(Self.station3, device: channel1.name, count: 2, attempts: 1),
                "S-channel 1 of an I/O-extender port reached port 3: the switch switched it locally\n\(context())")

        HostProcesses.kill(tcpdump)
        let decoded = try HostProcesses.run(["tcpdump", "-e", "-n", "-r", capture])
        try #require(decoded.succeeded, "tcpdump cannot read the upstream's capture\n\(decoded.summary)")
        let serverMAC = try macAddress(of: channel1.name, in: server)
        let upstreamMAC = try macAddress(of: upstreamChannel.name, in: upstream)
        // Every frame the server's S-channel sent reached the upstream S-tagged with S-VID 1.
        let fromServer = decoded.stdout.split(separator: "\n").filter { $0.contains("\(serverMAC) > ") }
        #expect(!fromServer.isEmpty, "the upstream saw nothing from S-channel 1 (\(serverMAC))\n\(decoded.stdout)\n\(context())")
        for line in fromServer {
            #expect(line.contains("ethertype 802.1Q-QinQ (0x88a8)") && line.contains(": vlan 1, p 0, ethertype "),
                    "a frame from S-channel 1 reached the upstream without its S-tag (S-VID 1):\n\(line)")
        }
        #expect(fromServer.contains { $0.contains("ICMP echo request") },
                "no S-tagged echo request from S-channel 1 on the upstream\n\(decoded.stdout)")
        print("VNICLabTests: on the upstream: " + (fromServer.first { $0.contains("ICMP echo request") }.map(String.init) ?? "-"))
        #expect(decoded.stdout.contains("\(upstreamMAC) > \(serverMAC), ethertype 802.1Q-QinQ (0x88a8)"),
                "no S-tagged reply from the upstream to S-channel 1 in the capture\n\(decoded.stdout)")

        try finish(sw, context: context)
    }

    // MARK: Helpers

    /// The switch with `config` as its startup-config. The sync marker is a VLAN name:
    /// the default hostname marker would do too, but VLAN 3999 keeps LLDP's System Name
    /// steady in the captures.
    private func startSwitch(_ binary: String, lab: LabTopology, config: String) throws -> SwitchProcess {
        let path = lab.scratch + "/startup.cfg"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return try lab.startSwitch(binary, extra: ["--startup-config", path], syncMarker: .vlanName(vid: 3999))
    }

    /// What the switch and the namespaces say, for a failed expectation.
    private func diagnosis(_ sw: SwitchProcess, _ lab: LabTopology) -> Comment {
        let state = (try? sw.query(["show vnic", "show vnic vnicgroup", "show mac-address-table",
                                    "show interface counters"])) ?? "(vmready did not answer)\n"
        return "--- switch state ---\n\(state)\(sw.transcript)\n\(lab.state)"
    }

    /// Ends the batch session and checks it ended cleanly, without errors (a startup-config
    /// line the switch refused is on stderr).
    private func finish(_ sw: SwitchProcess, context: () -> Comment) throws {
        #expect(sw.isRunning, "vmready exited during the lab test\n\(context())")
        print("VNICLabTests: show vnic\n" + (try sw.query(["show vnic"])))
        let status = sw.finish()
        #expect(status == 0, "the batch session did not end cleanly (wait status \(status.map(String.init) ?? "none, killed"))\n\(sw.transcript)")
        #expect(sw.stderr.isEmpty, "vmready reported errors\n\(sw.transcript)")
    }


    /// Source routing in `host`: what it sends from `address` leaves through `interface`
    /// (a routing table of its own holding the subnet on that interface only).
    private func routeReplies(in host: LabHost, from address: String, via interface: String, table: Int) throws {
        try HostProcesses.mustRun(["ip", "-n", host.namespace, "route", "add", "198.18.0.0/24", "dev", interface,
                                   "table", String(table)])
        try HostProcesses.mustRun(["ip", "-n", host.namespace, "rule", "add", "from", address, "table", String(table)])
    }

    /// The MAC address of `interface` in `host`'s namespace, as tcpdump and the switch
    /// print it (lowercase, colons).
    private func macAddress(of interface: String, in host: LabHost) throws -> String {
        let result = try HostProcesses.run(["ip", "-n", host.namespace, "-br", "link", "show", "dev", interface])
        let fields = result.stdout.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard result.succeeded, fields.count >= 3 else { throw LabFailure(description: "no MAC for \(interface): " + result.summary) }
        return fields[2].lowercased()
    }
}
#endif
