#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// The switch against real hypervisors: two namespaces on server ports 1 and 2, each a
/// libvirtd (test driver, its own hostname) and an lldpd that tells the switch which host is
/// behind which port, each with a soft switch (`br0`) for the VM's veth; a client in VLAN 100
/// on port 3. The VM web01 (a domain of hv1 with the VM's MAC) is in VM group 1 by name only,
/// and VLAN 100 is the group's: every ping between the VM and the client proves the switch
/// resolved the name through libvirt and applied the group on the VM's port.
@Suite(.serialized) struct VMManagerLabTests {
    static let vmMAC = "52:54:00:8e:aa:11"
    static let vmUUID = "a1412857-60f7-4ce1-e95a-2164943f53aa"
    static let vmIP = "198.18.20.10"
    static let clientIP = "198.18.20.1"

    @Test(.enabled(if: geteuid() == 0, "needs root: namespaces, libvirtd and lldpd (CI runs it as root)"))
    func verificationMetadataAndPreProvisioningAgainstLibvirt() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping", "tcpdump", "lldpd"] { _ = try HostProcesses.executable(tool) }

        let lab = try LabTopology(hostCount: 3)
        defer { lab.tearDown() }
        try lab.create()
        let (host1, host2, client) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        try lab.address(client, "\(Self.clientIP)/24")
        var daemons: [HypervisorDaemon] = []
        defer { for daemon in daemons { daemon.tearDown() } }
        var lldpds: [LLDPDaemon] = []
        defer { for lldpd in lldpds { lldpd.kill() } }
        for (index, host) in [host1, host2].enumerated() {
            try LabVirtualMachine.makeVirtualSwitch(in: host)
            // The hypervisor's management address, on its soft switch, for LLDP to carry.
            try LabVirtualMachine.inside(host, ["ip", "addr", "add", "198.18.200.\(index + 1)/24", "dev", "br0"])
            let daemon = try HypervisorDaemon(host: host, scratch: lab.scratch, hostname: "hv\(index + 1).lab")
            daemons.append(daemon)
            try daemon.start()
            lldpds.append(try LLDPDaemon(host: host, scratch: lab.scratch, managementAddress: "198.18.200.\(index + 1)",
                                         configuration: ["configure system hostname hv\(index + 1).lab",
                                                         "configure lldp tx-interval 1"]))
        }
        let (hv1, hv2) = (daemons[0], daemons[1])
        // hv2 is found, not configured: `discover lldp` fills {address} from its LLDPDUs. Its
        // socket is reached by a path naming that address, as a URI would name the host.
        let socketDirectory = String(hv2.uri.split(separator: "=").last!.dropLast("/libvirt-sock".count))
        try #require(symlink(socketDirectory, lab.scratch + "/hv-198.18.200.2") == 0, "cannot link hv2's socket directory")
        try hv1.define(name: "web01", uuid: Self.vmUUID, macs: [Self.vmMAC])
        try hv1.start(domain: "web01")
        let vmOn1 = LabVirtualMachine(host: host1, name: "vm", mac: Self.vmMAC, cidr: "\(Self.vmIP)/24")
        try vmOn1.create()

        let sw = try lab.startSwitch(binary)
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show virt vmmanager", "show virt vmmanager vms", "show virt vm -v", "show virt vmcheck",
                                        "show virt migrations", "show lldp remote-device", "show mac-address-table",
                                        "show interface counters", "show logging"])) ?? "(vmready did not answer)\n"
            let bridges = [host1, host2].map { host in
                ((try? HostProcesses.run(host.command(["bridge", "fdb", "show", "br", "br0"])).stdout) ?? "")
                    + ((try? HostProcesses.run(host.command(["ip", "-s", "link"])).stdout) ?? "")
                    + ((try? HostProcesses.run(host.command(["ip", "neigh"])).stdout) ?? "")
            }.joined(separator: "\n")
            return "--- switch state ---\n\(state)\(sw.transcript)\n\(hv1.log)\n\(hv2.log)\n\(lab.state)\n\(bridges)"
        }
        try sw.configure([
            "configure terminal", "vlan 100", "exit", "system server-ports port 1-2", "virt enable",
            "interface port 3", "switchport access vlan 100", "exit",
            "virt vmgroup 1", "vlan 100", "vm web01", "validate advanced", "exit",
            "virt vmmanager host hv1 uri \"\(hv1.uri)\"",
            "virt vmmanager discover lldp \"test+unix:///default?socket=\(lab.scratch)/hv-{address}/libvirt-sock\"",
            "end",
        ])
        // Both hosts connected, each placed behind its port by its LLDP System Name.
        let placed = try poll(sw, "show virt vmmanager") {
            $0.contains("hv1: up") && $0.contains("behind port 1\n") && $0.contains("hv2.lab (discovered): up") && $0.contains("behind port 2\n")
        }
        try #require(placed, "the switch did not connect to both hypervisors and place them behind ports 1 and 2\n\(context())")

        // Names: the VM is in group 1 by its libvirt name, so it reaches the client in VLAN 100.
        #expect(try host1.ping(Self.clientIP, device: "vm", attempts: 5),
                "web01 on hv1 cannot reach the client: its group (by name) is not applied on port 1\n\(context())")
        let vm = try sw.query(["show virt vm -v"])
        #expect(vm.contains("VM manager: web01, UUID \(Self.vmUUID), on hv1 (running), verified (hv1 runs it)"),
                "show virt vm -v does not give web01's name, UUID, host and verdict\n\(context())")

        // Port visibility: the switch wrote where web01 is into its domain's metadata.
        var metadata: String?
        for _ in 0..<40 {
            metadata = try hv1.metadata(domain: "web01")
            if metadata?.contains("port=\"1\"") == true { break }
            usleep(250_000)
        }
        #expect(metadata?.contains("mac=\"\(Self.vmMAC)\" port=\"1\" vlan=\"100\" group=\"1\" verdict=\"verified\"") == true,
                "virsh metadata web01 shows no verified location on port 1: \(metadata ?? "none")\n\(context())")

        // A spoofer on hv2 sends web01's MAC, under each action in turn. Between two, the real
        // VM speaks again: it is back on port 1, verified, and the next spoof is a new one.
        let spoofer = LabVirtualMachine(host: host2, name: "spoof", mac: Self.vmMAC, cidr: nil)
        try spoofer.create()
        let spoof = VMMigrationLabTests.gratuitousARP(mac: Self.vmMAC, ip: [198, 18, 20, 10])
        func realVMSpeaks(_ after: String) throws {
            #expect(try host1.ping(Self.clientIP, device: "vm", attempts: 3),
                    "the real web01 on hv1 lost its connectivity after the spoof under \(after)\n\(context())")
            #expect(try poll(sw, "show virt vmcheck") { $0.contains("\(Self.vmMAC)  1     verified") },
                    "web01 is not back on port 1, verified, after the spoof under \(after)\n\(context())")
        }
        // log: logged only.
        try RawFrameSender.send(spoof, count: 1, namespace: host2.namespace, device: "spoof")
        #expect(try poll(sw, "show logging") { $0.contains("suspected spoof: VM \(Self.vmMAC) on port 2, but VM manager hv1 runs it") },
                "the spoof under the log action was not logged\n\(context())")
        try realVMSpeaks("log")
        #expect(!(try sw.query(["show interface port 2"]).contains("err-disabled")), "log err-disabled port 2\n\(context())")
        // link: port 2 err-disabled, then recovered by the operator.
        try sw.configure(["configure terminal", "virt vmcheck action advanced link", "end"])
        try RawFrameSender.send(spoof, count: 1, namespace: host2.namespace, device: "spoof")
        #expect(try poll(sw, "show interface port 2") { $0.contains("\n2     err-disabled") },
                "the spoof under the link action did not err-disable port 2\n\(context())")
        try realVMSpeaks("link")
        try sw.configure(["configure terminal", "interface port 2", "shutdown", "no shutdown", "exit",
                          "virt vmcheck action advanced acl", "end"])
        // acl: blocked on port 2 only.
        try RawFrameSender.send(spoof, count: 2, namespace: host2.namespace, device: "spoof")
        let blocked = try poll(sw, "show virt vmcheck") { $0.contains("Blocked: \(Self.vmMAC) on port 2") }
        #expect(blocked, "the spoofed MAC on port 2 was not blocked (vmcheck action advanced acl)\n\(context())")
        try RawFrameSender.send(spoof, count: 2, namespace: host2.namespace, device: "spoof")
        #expect(try sw.query(["show interface counters port 2"]).contains("acl-deny"),
                "the spoofer's frames on port 2 were not dropped by the block\n\(context())")
        try spoofer.delete()
        // The real VM is untouched: it still reaches the client, and the client it.
        try realVMSpeaks("acl")
        #expect(try client.ping(Self.vmIP, attempts: 3), "the client cannot reach the real web01 on hv1\n\(context())")
        #expect(try sw.query(["show interface port 1-2"]).contains("err-disabled") == false,
                "the acl action err-disabled a port\n\(context())")

        // Save on hv1, restore on hv2 (the test driver's stand-in for a live migration): the
        // switch moves web01's policy to port 2 on the restore, before the VM sends anything.
        let image = lab.scratch + "/web01.save"
        try hv1.save(domain: "web01", to: image)
        try hv2.restore(from: image)
        let moved = try poll(sw, "show virt migrations") { $0.contains("\(Self.vmMAC)  100   1     2     VM manager") }
        #expect(moved, "the restore on hv2 did not move web01 to port 2 ahead of its frames\n\(context())")
        let table = try sw.query(["show mac-address-table"])
        #expect(table.split(separator: "\n").contains { $0.contains(Self.vmMAC) && $0.contains(" 100 ") && $0.contains(" 2 ") },
                "web01's MAC entry does not point at port 2 in VLAN 100 before its first frame there\n\(table)\n\(context())")
        // The VM's first frame on hv2, captured at the client: it arrives, so it was switched in
        // VLAN 100, the group's, from port 2 whose own VLAN is 1.
        let capture = lab.scratch + "/client.pcap"
        let tcpdump = try HostProcesses.spawn(client.command(["tcpdump", "-n", "-U", "-Z", "root", "-i", client.hostSide,
                                                              "-w", capture, "ether", "src", Self.vmMAC]),
                                              stdoutPath: lab.scratch + "/tcpdump.out", stderrPath: lab.scratch + "/tcpdump.err")
        defer { HostProcesses.kill(tcpdump) }
        try HostProcesses.waitForCapture(lab.scratch + "/tcpdump.err")
        try vmOn1.delete()
        let vmOn2 = LabVirtualMachine(host: host2, name: "vm", mac: Self.vmMAC, cidr: "\(Self.vmIP)/24")
        try vmOn2.create(addressed: false)
        try RawFrameSender.send(VMMigrationLabTests.gratuitousARP(mac: Self.vmMAC, ip: [198, 18, 20, 10]), count: 1,
                                namespace: host2.namespace, device: "vm")
        var firstFrame = ""
        for _ in 0..<20 {
            firstFrame = try HostProcesses.run(["tcpdump", "-e", "-n", "-r", capture]).stdout
            if !firstFrame.isEmpty { break }
            usleep(250_000)
        }
        #expect(firstFrame.contains("\(Self.vmMAC) > ff:ff:ff:ff:ff:ff") && firstFrame.contains("ARP"),
                "the client (VLAN 100) did not receive web01's first frame from port 2\n\(firstFrame)\n\(context())")
        try vmOn2.addAddress()
        #expect(try client.ping(Self.vmIP, attempts: 3), "the client cannot reach web01 after its move to hv2\n\(context())")

        // A hypervisor killed: shown down, its inventory kept stale; back when it restarts.
        hv1.kill()
        let down = try poll(sw, "show virt vmmanager") { $0.contains("hv1: down") }
        #expect(down, "show virt vmmanager does not show hv1 down after its libvirtd was killed\n\(context())")
        try hv1.start()
        let back = try poll(sw, "show virt vmmanager") { $0.contains("hv1: up") }
        #expect(back, "the switch did not reconnect to hv1 after its libvirtd restarted\n\(context())")
        #expect(try sw.query(["show logging"]).contains("vmmanager: hv1 is down"), "hv1's loss is not in the log\n\(context())")

        #expect(sw.isRunning, "vmready exited during the lab test\n\(context())")
        print("VMManagerLabTests: show virt vmmanager\n" + (try sw.query(["show virt vmmanager", "show virt vmcheck"])))
        print("VMManagerLabTests: virsh metadata web01 (hv1, before the move)\n" + (metadata ?? "none"))
        let status = sw.finish()
        #expect(status == 0, "the batch session did not end cleanly\n\(context())")
        #expect(sw.stderr.isEmpty, "vmready reported errors\n\(context())")
    }

    /// `show` output polled until `accept` takes it or ten seconds pass (libvirt and LLDP
    /// report asynchronously); whether it was taken. Bounds a wait; nothing is timed.
    private func poll(_ sw: SwitchProcess, _ command: String, until accept: (String) -> Bool) throws -> Bool {
        for _ in 0..<40 {
            if accept(try sw.query([command])) { return true }
            usleep(250_000)
        }
        return false
    }
}
#endif
