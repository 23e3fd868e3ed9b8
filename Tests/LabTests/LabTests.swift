#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// The switch between real hosts: three network namespaces on veth pairs, the built
/// `vmready` attached to the other ends through libpcap, and ping proving VLAN behaviour.
///
/// Addresses come only from 198.18.0.0/15 (benchmarking space) and live only inside the
/// namespaces this test creates and removes.
@Suite(.serialized) struct LabTests {
    // Namespaces, veths and packet sockets need root; CI runs the tests as root.
    @Test(.enabled(if: geteuid() == 0,
                   "needs root: the lab test creates network namespaces and veth pairs (CI runs it as root)"))
    func accessPortsIsolateVLANsAndTrunksCarryTags() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping"] { _ = try HostProcesses.executable(tool) }

        let lab = try LabTopology(hostCount: 3)
        defer { lab.tearDown() }
        try lab.create()
        let (h1, h2, h3) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        try lab.address(h1, "198.18.10.1/24")
        try lab.address(h2, "198.18.10.2/24")
        // h3 is a trunk host: no address on the veth itself, VLAN 10 on a sub-interface.
        let vlan10 = try lab.addVLANInterface(h3, vid: 10, cidr: "198.18.10.3/24")
        print("LabTests: h3's VLAN 10 interface \(vlan10.name) is a \(vlan10.kind)")

        let sw = try lab.startSwitch(binary)
        defer { sw.stop() }
        // Evaluated only when an expectation fails.
        func context() -> Comment {
            let counters = (try? sw.query(["show interface counters"])) ?? "(vmready did not answer)\n"
            return "--- show interface counters ---\n\(counters)\(sw.transcript)\n\(lab.state)"
        }

        try sw.configure([
            "configure terminal",
            "vlan 10", "exit",
            "vlan 20", "exit",
            "interface port 1", "switchport access vlan 10", "exit",
            "interface port 2", "switchport access vlan 10", "exit",
            "interface port 3", "switchport mode trunk", "switchport trunk allowed vlan 1,10,20", "exit",
            "end",
        ])

        // (1) One VLAN: h1 and h2, both access ports in VLAN 10, reach each other.
        // The first pings may go out before the switch has opened its pcap handles.
        #expect(try h1.ping("198.18.10.2", attempts: 5), "h1 cannot reach h2 in VLAN 10\n\(context())")
        #expect(try h2.ping("198.18.10.1", attempts: 2), "h2 cannot reach h1 in VLAN 10\n\(context())")

        // (3) The trunk: h3's VLAN 10 sub-interface sends and receives frames tagged 10 on
        // port 3; the switch untags them to h1's access port and tags h1's replies.
        #expect(try h3.ping("198.18.10.1", attempts: 3),
                "h3's VLAN 10 sub-interface (\(vlan10.kind)) cannot reach h1 over the trunk\n\(context())")

        // (2) Different VLANs: h2 moves to VLAN 20. Same subnet, so only the switch can
        // keep them apart; neighbours are forgotten so that h1 must ARP again.
        try sw.configure(["configure terminal", "interface port 2", "switchport access vlan 20", "end"])
        try lab.flushNeighbours(h1)
        try lab.flushNeighbours(h2)
        #expect(try !h1.ping("198.18.10.2", attempts: 1), "h1 (VLAN 10) reached h2 (VLAN 20)\n\(context())")
        #expect(try !h2.ping("198.18.10.1", attempts: 1), "h2 (VLAN 20) reached h1 (VLAN 10)\n\(context())")
        // ...while the switch still forwards VLAN 10: the silence above is isolation.
        #expect(try h1.ping("198.18.10.3", attempts: 3),
                "h1 cannot reach h3's VLAN 10 sub-interface after h2 left VLAN 10\n\(context())")

        #expect(sw.isRunning, "vmready exited during the lab test\n\(context())")
        print("LabTests: show interface counters\n" + (try sw.query(["show interface counters"])))
        let status = sw.finish()
        #expect(status == 0, "the batch session did not end cleanly (wait status \(status.map(String.init) ?? "none, killed"))\n\(context())")
        #expect(sw.stderr.isEmpty, "vmready reported errors\n\(context())")
    }

}
#endif
