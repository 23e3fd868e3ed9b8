#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// The switch process against lldpad as the 802.1Qbg station: the host on port 1 runs
/// lldpad on its veth (interop.md's recipe) and holds the VSI, a VLAN 100 interface with the
/// VSI's MAC; the host on port 2 is in VLAN 100. Port 1 is an access port of VLAN 1, so only
/// the VSI type's policy (VLAN 100, given on association) lets the two reach each other.
@Suite(.serialized) struct EVBSwitchLabTests {
    static let vsiMAC = "52:54:00:8e:aa:31"
    static let vsiIP = "198.18.30.10"
    static let peerIP = "198.18.30.1"
    static let uuid = "a1412857-60f7-4ce1-e95a-2164943f53c1"

    @Test(.enabled(if: geteuid() == 0 && access("/usr/sbin/lldpad", X_OK) == 0,
                   "needs root and lldpad (make test installs it): namespaces, veths, lldpad"))
    func vdpAssociationGivesTheVSIItsTypesVLAN() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        let lab = try LabTopology(hostCount: 2)
        defer { lab.tearDown() }
        try lab.create()
        let (server, peer) = (lab.hosts[0], lab.hosts[1])
        try lab.address(peer, "\(Self.peerIP)/24")
        let vsi = try lab.addVLANInterface(server, vid: 100, cidr: "\(Self.vsiIP)/24")
        try HostProcesses.mustRun(server.command(["ip", "link", "set", "dev", vsi.name, "address", Self.vsiMAC]))

        let sw = try lab.startSwitch(binary)
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show virt evb", "show virt vsi", "show ecp", "show virt vm", "show mac-address-table",
                                        "show interface counters", "show logging"])) ?? "(vmready did not answer)\n"
            let log = (try? String(contentsOfFile: lab.scratch + "/lldpad.err", encoding: .utf8)) ?? ""
            return "--- switch state ---\n\(state)\(sw.transcript)\n--- lldpad ---\n\(log.suffix(3000))\n\(lab.state)"
        }
        try sw.configure([
            "configure terminal", "vlan 100", "exit", "virt enable",
            "virt evb profile 1", "reflective-relay", "vsi-discovery", "exit",
            "interface port 1", "evb profile 1", "exit",
            "interface port 2", "switchport access vlan 100", "exit",
            "virt evb vsitype 4711 version 1", "vlan 100", "exit",
            "end",
        ])
        // Control: no association, no VLAN 100 on port 1.
        #expect(try !peer.ping(Self.vsiIP, count: 2, attempts: 1), "the VSI reached VLAN 100 before any association\n\(context())")

        let lldpad = try Self.startStation(on: server, in: lab)
        defer { HostProcesses.kill(lldpad) }
        func station(_ argv: [String]) throws -> ProgramResult { try HostProcesses.run(server.command(argv), timeout: 20) }
        #expect(try Self.relayNegotiated(sw), "show virt evb does not show reflective relay negotiated with lldpad on port 1\n\(context())")

        // Associate the VSI with VID 0: the switch fills in its type's VLAN.
        func vdp(_ mode: String, filter: String) throws -> String {
            try station(["vdptool", "-i", server.hostSide, "-T", "-W", "-V", "assoc", "-c", "mode=\(mode)", "-c", "mgrid2=mgr1",
                         "-c", "typeid=4711", "-c", "typeidver=1", "-c", "uuid=\(Self.uuid)", "-c", "hints=none",
                         "-c", "filter=\(filter)"]).stdout
        }
        // ECP under loss: frames from the switch to the station are dropped on the way
        // (nftables on the station's ingress; this kernel has no netem), so the switch must
        // retransmit its response after the negotiated timeout.
        try HostProcesses.mustRun(server.command(["nft", "add", "table", "netdev", "loss"]))
        try HostProcesses.mustRun(server.command(["nft", "add", "chain", "netdev", "loss", "ecp",
                                                  "{ type filter hook ingress device \(server.hostSide) priority 0; }"]))
        // Every other ECP request from the switch (VDP responses; acks are 46 octets) is lost.
        try HostProcesses.mustRun(server.command(["nft", "add", "rule", "netdev", "loss", "ecp", "ether", "type", "0x8940",
                                                  "meta", "length", ">", "50", "numgen", "inc", "mod", "2", "==", "0",
                                                  "counter", "drop"]))
        var answer = ""
        for _ in 0..<3 where !answer.contains("Response from VDP") { answer = try vdp("assoc", filter: "0-\(Self.vsiMAC)") }
        #expect(answer.contains("Response from VDP") && answer.contains("filter = 100-\(Self.vsiMAC)"),
                "lldpad got no association answer with VID 100 through the loss\n\(answer)\n\(context())")
        let dropped = try HostProcesses.run(server.command(["nft", "list", "table", "netdev", "loss"])).stdout
        let retries = try sw.query(["show ecp port 1"]).split(separator: "\n").last.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(retries.count == 9 && (Int(retries[5]) ?? 0) > 0, "the switch retransmitted nothing through the loss\n\(dropped)\n\(context())")
        _ = try HostProcesses.run(server.command(["nft", "delete", "table", "netdev", "loss"]))
        // What lldpad holds agrees with what the switch shows.
        let held = try station(["vdptool", "-i", server.hostSide, "-t", "-V", "assoc"]).stdout
        #expect(held.contains(Self.uuid) && held.contains("100-\(Self.vsiMAC)"), "vdptool -t does not hold the VSI\n\(held)\n\(context())")
        let vsis = try sw.query(["show virt vsi"])
        #expect(vsis.contains("associated") && vsis.contains("\(Self.vsiMAC)/100"), "show virt vsi\n\(vsis)\n\(context())")
        #expect(try sw.query(["show virt vm"]).contains("~0.0.0.0        \(Self.vsiMAC)"),
                "show virt vm does not list the VSI (kind VSI)\n\(context())")
        // Its type's policy: VLAN 100 tagged on port 1; the VSI and the peer reach each other.
        #expect(try peer.ping(Self.vsiIP, count: 2, attempts: 3), "the peer cannot reach the associated VSI in VLAN 100\n\(context())")

        // De-associated: the policy goes with it.
        let gone = try vdp("deassoc", filter: "100-\(Self.vsiMAC)")
        #expect(gone.contains("Response from VDP"), "lldpad got no de-association answer\n\(gone)\n\(context())")
        #expect(try sw.query(["show virt vsi"]).contains("No VSI is associated"), "the VSI is still listed\n\(context())")
        #expect(try sw.query(["show logging"]).contains("de-associated"), "the de-association is not logged\n\(context())")
        // Associated again, then the station dies: no more keep-alives, and the switch takes
        // the VSI away once the keep-alive timeout (1.5 x (RKA period + (R+1) ack timeouts),
        // 16.7 s with lldpad's values) has passed.
        answer = ""
        for _ in 0..<3 where !answer.contains("Response from VDP") { answer = try vdp("assoc", filter: "0-\(Self.vsiMAC)") }
        #expect(try sw.query(["show virt vsi"]).contains("associated"), "the VSI was not associated again\n\(context())")
        HostProcesses.kill(lldpad)
        var timedOut = false
        for _ in 0..<120 where !timedOut {
            timedOut = try sw.query(["show logging"]).contains("timed out (no keep-alive)")
            if !timedOut { usleep(250_000) }
        }
        #expect(timedOut, "the VSI of a dead station was not timed out\n\(context())")
        #expect(try sw.query(["show virt vsi"]).contains("No VSI is associated"), "the dead station's VSI is still listed\n\(context())")
        #expect(try !peer.ping(Self.vsiIP, count: 1, attempts: 1), "VLAN 100 still reaches port 1 after the timeout\n\(context())")

        #expect(sw.isRunning, "vmready exited during the lab test\n\(context())")
        print("EVBSwitchLabTests: lldpad's association answer\n" + answer)
    }

    /// A VEPA hypervisor: two VMs (macvlan interfaces in VEPA mode on the server's veth, each
    /// in a namespace of its own) whose traffic to each other goes out to the switch and must
    /// come back on the same port. Without reflective relay they cannot talk; once lldpad has
    /// asked for it and the profile allowed it, they can.
    @Test(.enabled(if: geteuid() == 0 && access("/usr/sbin/lldpad", X_OK) == 0,
                   "needs root and lldpad (make test installs it): namespaces, veths, macvlans, lldpad"))
    func reflectiveRelayLetsTwoVMsBehindOnePortTalk() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        let lab = try LabTopology(hostCount: 2)
        defer { lab.tearDown() }
        try lab.create()
        let server = lab.hosts[0]
        let vms = ["vmr-va-\(lab.suffix)", "vmr-vb-\(lab.suffix)"]
        defer { for vm in vms { _ = try? HostProcesses.run(["ip", "netns", "del", vm]) } }
        for (index, vm) in vms.enumerated() {
            try HostProcesses.mustRun(["ip", "netns", "add", vm])
            let name = "mv\(index)-\(lab.suffix)"
            try HostProcesses.mustRun(server.command(["ip", "link", "add", "link", server.hostSide, "name", name,
                                                      "type", "macvlan", "mode", "vepa"]))
            try HostProcesses.mustRun(server.command(["ip", "link", "set", name, "netns", vm]))
            try HostProcesses.mustRun(["ip", "netns", "exec", vm, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"])
            try HostProcesses.mustRun(["ip", "-n", vm, "addr", "add", "198.18.40.\(index + 1)/24", "dev", name])
            try HostProcesses.mustRun(["ip", "-n", vm, "link", "set", name, "up"])
        }
        let vmA = LabHost(namespace: vms[0], switchSide: "", hostSide: "mv0-\(lab.suffix)")

        let sw = try lab.startSwitch(binary)
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show virt evb", "show interface counters", "show mac-address-table"])) ?? "(no answer)\n"
            return "--- switch state ---\n\(state)\(sw.transcript)\n\(lab.state)"
        }
        try sw.configure(["configure terminal", "virt evb profile 1", "reflective-relay", "exit",
                          "interface port 1", "evb profile 1", "exit", "end"])
        // No station has asked yet: frames never go back out of the port they came in on.
        #expect(try !vmA.ping("198.18.40.2", count: 2, attempts: 1), "the two VMs talked without reflective relay\n\(context())")

        let lldpad = try Self.startStation(on: server, in: lab)
        defer { HostProcesses.kill(lldpad) }
        #expect(try Self.relayNegotiated(sw), "reflective relay was not negotiated with lldpad\n\(context())")
        #expect(try vmA.ping("198.18.40.2", count: 2, attempts: 3), "the VEPA VMs cannot talk through reflective relay\n\(context())")
    }

    /// lldpad as the station on `host`'s veth (a private /dev/shm, a fresh config file,
    /// interop.md), EVB on its nearest-customer-bridge agent, asking for reflective relay.
    static func startStation(on host: LabHost, in lab: LabTopology) throws -> pid_t {
        let conf = lab.scratch + "/lldpad.conf"
        try Data().write(to: URL(fileURLWithPath: conf))
        let lldpad = try HostProcesses.spawn(host.command(["sh", "-c", "mount -t tmpfs -o size=1m tmpfs /dev/shm && "
                                                           + "exec /usr/sbin/lldpad -p -V 7 -f \(conf)"]),
                                             stdoutPath: lab.scratch + "/lldpad.out", stderrPath: lab.scratch + "/lldpad.err")
        var ready = false
        for _ in 0..<50 where !ready {
            usleep(100_000)
            ready = (try? HostProcesses.run(host.command(["lldptool", "-L", "-i", host.hostSide, "-g", "ncb", "adminStatus=rxtx"])))?
                .succeeded ?? false
        }
        guard ready else {
            HostProcesses.kill(lldpad)
            throw LabFailure(description: "lldpad did not start: \((try? String(contentsOfFile: lab.scratch + "/lldpad.err", encoding: .utf8)) ?? "")")
        }
        for setting in ["enableTx=yes", "evbmode=station", "evbrrreq=yes"] {
            _ = try HostProcesses.run(host.command(["lldptool", "-T", "-i", host.hostSide, "-g", "ncb", "-V", "evb", "-c", setting]))
        }
        return lldpad
    }

    /// Whether `show virt evb` comes to show reflective relay on port 1 within ten seconds.
    static func relayNegotiated(_ sw: SwitchProcess) throws -> Bool {
        for _ in 0..<40 {
            if try sw.query(["show virt evb"]).split(separator: "\n").contains(where: { $0.hasPrefix("1 ") && $0.hasSuffix(" on") }) {
                return true
            }
            usleep(250_000)
        }
        return false
    }
}
#endif
