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

        // The station: a private /dev/shm and a fresh config file (interop.md).
        let conf = lab.scratch + "/lldpad.conf"
        try Data().write(to: URL(fileURLWithPath: conf))
        let lldpad = try HostProcesses.spawn(server.command(["sh", "-c", "mount -t tmpfs -o size=1m tmpfs /dev/shm && "
                                                             + "exec /usr/sbin/lldpad -p -V 7 -f \(conf)"]),
                                             stdoutPath: lab.scratch + "/lldpad.out", stderrPath: lab.scratch + "/lldpad.err")
        defer { HostProcesses.kill(lldpad) }
        func station(_ argv: [String]) throws -> ProgramResult { try HostProcesses.run(server.command(argv), timeout: 20) }
        var ready = false
        for _ in 0..<50 where !ready {
            usleep(100_000)
            ready = (try? station(["lldptool", "-L", "-i", server.hostSide, "-g", "ncb", "adminStatus=rxtx"]))?.succeeded ?? false
        }
        try #require(ready, "lldpad did not start\n\(context())")
        for setting in ["enableTx=yes", "evbmode=station", "evbrrreq=yes"] {
            _ = try station(["lldptool", "-T", "-i", server.hostSide, "-g", "ncb", "-V", "evb", "-c", setting])
        }
        // EVB negotiated: the station asked for reflective relay and profile 1 allows it.
        var negotiated = false
        for _ in 0..<40 where !negotiated {
            negotiated = try sw.query(["show virt evb"]).split(separator: "\n").contains { $0.hasPrefix("1 ") && $0.hasSuffix(" on") }
            if !negotiated { usleep(250_000) }
        }
        #expect(negotiated, "show virt evb does not show reflective relay negotiated with lldpad on port 1\n\(context())")

        // Associate the VSI with VID 0: the switch fills in its type's VLAN.
        func vdp(_ mode: String, filter: String) throws -> String {
            try station(["vdptool", "-i", server.hostSide, "-T", "-W", "-V", "assoc", "-c", "mode=\(mode)", "-c", "mgrid2=mgr1",
                         "-c", "typeid=4711", "-c", "typeidver=1", "-c", "uuid=\(Self.uuid)", "-c", "hints=none",
                         "-c", "filter=\(filter)"]).stdout
        }
        var answer = ""
        for _ in 0..<3 where !answer.contains("Response from VDP") { answer = try vdp("assoc", filter: "0-\(Self.vsiMAC)") }
        #expect(answer.contains("Response from VDP") && answer.contains("filter = 100-\(Self.vsiMAC)"),
                "lldpad got no association answer with VID 100\n\(answer)\n\(context())")
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
}
#endif
