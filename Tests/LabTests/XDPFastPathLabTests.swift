#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// The XDP fast path between real hosts: known unicast forwarded in the kernel and counted
/// exactly, VLAN isolation, a station that moves (userspace learns the move, the kernel
/// follows), a VM policy that must still apply (so its frames take the userspace path),
/// and plain AF_XDP when the program cannot load.
///
/// The hosts' veth ends have GRO on: a veth takes frames redirected in the kernel only then
/// (or with an XDP program on its peer); see INTERFACES in the manual. Addresses come only
/// from 198.18.0.0/15 and live only inside the namespaces each test creates and removes.
@Suite(.serialized) struct XDPFastPathLabTests {
    static let macs = ["02:00:5e:11:00:01", "02:00:5e:11:00:02", "02:00:5e:11:00:03"]
    static let fastKinds = ["xdp-fast-native", "xdp-fast-generic"]

    /// A lab of `hostCount` hosts with pinned MACs and GRO on their ends.
    static func lab(_ hostCount: Int) throws -> LabTopology {
        for tool in ["ip", "sysctl", "ethtool", "ping"] { _ = try HostProcesses.executable(tool) }
        let lab = try LabTopology(hostCount: hostCount)
        do {
            try lab.create()
            for (host, mac) in zip(lab.hosts, macs) {
                try HostProcesses.mustRun(["ip", "-n", host.namespace, "link", "set", host.hostSide, "address", mac])
                try HostProcesses.mustRun(host.command(["ethtool", "-K", host.hostSide, "gro", "on"]))
            }
        } catch {
            lab.tearDown()
            throw error
        }
        return lab
    }

    /// A startup-config with LLDP off (the switch originates nothing, so every frame
    /// counted is one a test sent) and `lines` after it.
    static func startup(_ lab: LabTopology, _ lines: [String]) throws -> [String] {
        let path = lab.scratch + "/startup.cfg"
        try (["no lldp enable"] + lines).joined(separator: "\n").appending("\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return ["--startup-config", path]
    }

    /// An IPv4 frame of `length` bytes (a zero payload the receiving stack discards; the
    /// interface still counts it), the EtherType the fast path forwards.
    static func ipv4Frame(to destination: String, from source: String, length: Int) -> [UInt8] {
        let header = VMMigrationLabTests.macBytes(destination) + VMMigrationLabTests.macBytes(source) + [0x08, 0x00]
        return header + [UInt8](repeating: 0, count: length - header.count)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root: namespaces, veth pairs, AF_XDP sockets and BPF programs"))
    func knownUnicastIsForwardedInTheKernelAndCountedExactly() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        let lab = try Self.lab(3)
        defer { lab.tearDown() }
        let (h1, h2, h3) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        let macs = Self.macs
        let sw = try lab.startSwitch(binary, io: "xdp:", extra: try Self.startup(lab, [
            "vlan 10", "exit", "vlan 20", "exit",
            "interface port 1-2", "switchport access vlan 10", "exit",
            "interface port 3", "switchport access vlan 20", "exit",
        ]))
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show interface", "show interface counters", "show mac-address-table"]))
                ?? "(vmready did not answer)\n"
            return "\(state)\(sw.transcript)\n\(lab.state)"
        }
        let kinds = try ioKinds(sw, lab)
        #expect(kinds.allSatisfy { Self.fastKinds.contains($0) }, "not every port has the fast path: \(kinds)\n\(context())")
        #expect(sw.stderr.isEmpty, "vmready reported errors\n\(context())")

        // Learning stays in userspace: the first frames each way teach the switch both
        // stations (and h3 in VLAN 20); only then may the kernel forward between them.
        try teach(sw, Self.ipv4Frame(to: macs[1], from: macs[0], length: 60), from: h1, mac: macs[0], port: 1)
        try teach(sw, Self.ipv4Frame(to: macs[0], from: macs[1], length: 60), from: h2, mac: macs[1], port: 2)
        try teach(sw, Self.ipv4Frame(to: macs[0], from: macs[2], length: 60), from: h3, mac: macs[2], port: 3)
        try sw.configure(["clear counters"])
        let before = try [h1, h2, h3].map { try rxStatistics($0) }

        // Known unicast h1 → h2, of every length: forwarded by the kernel, counted exactly.
        var sentFrames = 0
        var sentBytes = 0
        for length in [60, 1514] {
            try send(Self.ipv4Frame(to: macs[1], from: macs[0], length: length), 10, from: h1)
            sentFrames += 10
            sentBytes += 10 * length
        }
        var counters = try sw.portCounters()
        for _ in 0..<50 where (counters[1]?.first ?? 0) < sentFrames { counters = try sw.portCounters() }
        #expect(counters[1]?[0...1] == [sentFrames, sentBytes][...], "port 1 RX frames/bytes\n\(context())")
        #expect(counters[1]?[4] == sentFrames, "port 1 Forwarded\n\(context())")
        #expect(counters[2]?[2...3] == [sentFrames, sentBytes][...], "port 2 TX frames/bytes\n\(context())")
        #expect(counters[3]?[0...3] == [0, 0, 0, 0][...], "port 3 (VLAN 20) saw traffic\n\(context())")
        let fast = try fastPathCounters(sw)
        #expect(fast[1]?["fast-path-rx"] == sentFrames && fast[2]?["fast-path-tx"] == sentFrames,
                "the kernel did not forward every frame\n\(context())")
        let h2Now = try rxStatistics(h2)
        #expect(h2Now.frames - before[1].frames == sentFrames && h2Now.bytes - before[1].bytes == sentBytes,
                "h2 received \(h2Now.frames - before[1].frames) frames, \(h2Now.bytes - before[1].bytes) bytes\n\(context())")

        // Isolation: h3's MAC is known, in VLAN 20 only; from VLAN 10 it is unknown unicast,
        // flooded in VLAN 10 (by userspace) and never delivered to h3.
        try send(Self.ipv4Frame(to: macs[2], from: macs[0], length: 60), 3, from: h1)
        counters = try sw.portCounters()
        for _ in 0..<50 where (counters[2]?[2] ?? 0) < sentFrames + 3 { counters = try sw.portCounters() }
        #expect(counters[2]?[2] == sentFrames + 3 && counters[1]?[5] == 3, "not flooded in VLAN 10\n\(context())")
        #expect(try rxStatistics(h3) == before[2], "h3 (VLAN 20) received frames of VLAN 10\n\(context())")
        #expect(try fastPathCounters(sw)[1]?["fast-path-rx"] == sentFrames, "the kernel forwarded across VLANs\n\(context())")

        // A real stack both ways (ARP and ICMP, the kernel forwarding once both are known).
        try lab.address(h1, "198.18.22.1/24")
        try lab.address(h2, "198.18.22.2/24")
        try lab.address(h3, "198.18.22.3/24")
        #expect(try h1.ping("198.18.22.2", count: 5, attempts: 3), "h1 cannot reach h2 in VLAN 10\n\(context())")
        #expect(try !h1.ping("198.18.22.3", attempts: 1), "h1 (VLAN 10) reached h3 (VLAN 20)\n\(context())")
        let after = try fastPathCounters(sw)
        #expect((after[1]?["fast-path-rx"] ?? 0) > sentFrames, "the pings were not forwarded in the kernel\n\(context())")
        #expect(after.values.allSatisfy { $0["fast-path-tx-refused"] == nil }, "a port refused kernel frames\n\(context())")

        #expect(sw.finish() == 0, "the batch session did not end cleanly\n\(context())")
        for host in lab.hosts {
            let link = try HostProcesses.run(["ip", "link", "show", host.switchSide]).stdout
            #expect(!link.contains(" xdp"), "an XDP program was left on \(host.switchSide): \(link)")
        }
    }

    @Test(.enabled(if: geteuid() == 0, "needs root: namespaces, veth pairs, AF_XDP sockets and BPF programs"))
    func aStationThatMovesIsLearnedInUserspaceAndTheKernelFollows() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        let lab = try Self.lab(3)
        defer { lab.tearDown() }
        let (h1, h2, h3) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        let (station, peer) = (Self.macs[0], Self.macs[2])
        let sw = try lab.startSwitch(binary, io: "xdp:", extra: try Self.startup(lab, []))
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show interface counters", "show mac-address-table"])) ?? "(vmready did not answer)\n"
            return "\(state)\(sw.transcript)\n\(lab.state)"
        }
        // The station on port 1 and its peer on port 3 talk; the kernel carries it.
        try teach(sw, Self.ipv4Frame(to: peer, from: station, length: 60), from: h1, mac: station, port: 1)
        try teach(sw, Self.ipv4Frame(to: station, from: peer, length: 60), from: h3, mac: peer, port: 3)
        try sw.configure(["clear counters"])
        try send(Self.ipv4Frame(to: station, from: peer, length: 100), 5, from: h3)
        var fast = try fastPathCounters(sw)
        for _ in 0..<50 where fast[1]?["fast-path-tx"] != 5 { fast = try fastPathCounters(sw) }
        #expect(fast[1]?["fast-path-tx"] == 5, "the kernel did not forward to the station on port 1\n\(context())")

        // The station appears behind port 2 (a migrated VM's first frame): its source is in
        // the kernel's map on port 1, not 2, so the frame goes to userspace, which learns the
        // move and updates the map.
        let h1Before = try rxStatistics(h1)
        let h2Before = try rxStatistics(h2)
        try send(Self.ipv4Frame(to: peer, from: station, length: 60), 1, from: h2)
        try waitForLearning(sw, [(station, 2)])
        #expect(try fastPathCounters(sw)[2]?["fast-path-rx"] == nil,
                "the kernel forwarded the moved station's first frame\n\(context())")

        // The peer's frames now reach port 2, forwarded by the kernel, and no longer port 1.
        try send(Self.ipv4Frame(to: station, from: peer, length: 100), 5, from: h3)
        fast = try fastPathCounters(sw)
        for _ in 0..<50 where fast[2]?["fast-path-tx"] != 5 { fast = try fastPathCounters(sw) }
        #expect(fast[2]?["fast-path-tx"] == 5 && fast[1]?["fast-path-tx"] == 5,
                "the kernel did not follow the move to port 2\n\(context())")
        #expect(try rxStatistics(h2).frames - h2Before.frames == 5, "h2 did not receive the station's frames\n\(context())")
        #expect(try rxStatistics(h1) == h1Before, "h1 still received the station's frames\n\(context())")
        let counters = try sw.portCounters()
        #expect(counters[3]?[0...1] == [10, 1000][...], "port 3 RX frames/bytes\n\(context())")
        #expect(sw.finish() == 0, "the batch session did not end cleanly\n\(context())")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root: namespaces, veth pairs, AF_XDP sockets and BPF programs"))
    func aVMPolicyStillAppliesOnTheUserspacePath() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        let lab = try Self.lab(3)
        defer { lab.tearDown() }
        let (vmHost, other, client) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        // The VM is h1's end itself, with a VMware MAC; the client is in VLAN 20, the VM's
        // port in VLAN 1: only the VM group's VLAN joins them.
        try HostProcesses.mustRun(["ip", "-n", vmHost.namespace, "link", "set", vmHost.hostSide,
                                   "address", VMMigrationLabTests.vmMAC])
        try lab.address(vmHost, "198.18.23.10/24")
        try lab.address(client, "198.18.23.1/24")
        try lab.address(other, "198.18.23.2/24")
        let sw = try lab.startSwitch(binary, io: "xdp:", extra: try Self.startup(lab, [
            "vlan 20", "exit", "system server-ports port 1-2", "virt enable",
            "interface port 3", "switchport access vlan 20", "exit",
        ]))
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show virt vm", "show interface counters", "show mac-address-table"]))
                ?? "(vmready did not answer)\n"
            return "\(state)\(sw.transcript)\n\(lab.state)"
        }
        // Control: without the policy the VM (VLAN 1) cannot reach the client (VLAN 20).
        #expect(try !vmHost.ping("198.18.23.1", attempts: 1), "the VM reached VLAN 20 with no group\n\(context())")
        try sw.configure(["configure terminal", "virt vmgroup 20", "vlan 20", "vm \(VMMigrationLabTests.vmMAC)", "end"])
        #expect(try vmHost.ping("198.18.23.1", attempts: 3), "the VM cannot reach the client through its group's VLAN\n\(context())")

        // Traffic of a station with a policy never takes the kernel path, and its counters
        // still move (userspace forwards it, in the policy's VLAN).
        try sw.configure(["clear counters"])
        #expect(try client.ping("198.18.23.10", count: 5, attempts: 1), "the client cannot reach the VM\n\(context())")
        let counters = try sw.portCounters()
        #expect((counters[1]?[0] ?? 0) >= 5 && (counters[3]?[0] ?? 0) >= 5, "the VM's traffic was not counted\n\(context())")
        #expect((counters[1]?[4] ?? 0) >= 5, "the VM's frames were not forwarded\n\(context())")
        let fast = try fastPathCounters(sw)
        #expect(fast[1] == nil && fast[3] == nil, "the kernel forwarded a policy station's frames\n\(context())")

        // The client and the other host, in different VLANs and without policy, stay apart;
        // the policy did not open VLAN 20 to port 2.
        #expect(try !other.ping("198.18.23.1", attempts: 1), "port 2 (VLAN 1) reached VLAN 20\n\(context())")
        #expect(sw.finish() == 0, "the batch session did not end cleanly\n\(context())")
    }

    // MARK: What the switch says

    func send(_ frame: [UInt8], _ count: Int, from host: LabHost) throws {
        try RawFrameSender.send(frame, count: count, namespace: host.namespace, device: host.hostSide)
    }

    /// Each host's port's I/O kind, from `show interface`.
    func ioKinds(_ sw: SwitchProcess, _ lab: LabTopology) throws -> [String] {
        let status = try sw.query(["show interface"])
        return lab.hosts.map { host in
            let row = status.split(separator: "\n").first { $0.contains(host.switchSide) } ?? ""
            return row.split(separator: " ").map(String.init).first { $0.hasPrefix("xdp") || $0 == "pcap" } ?? "?"
        }
    }

    /// Asks until every (MAC, port) is in the MAC table (the switch reads its sockets
    /// between answering queries); a bounded number of questions, nothing timed.
    func waitForLearning(_ sw: SwitchProcess, _ expected: [(String, Int)]) throws {
        for _ in 0..<50 where try !isLearned(sw, expected) {}
        let table = (try? sw.query(["show mac-address-table"])) ?? "(vmready did not answer)"
        #expect(try isLearned(sw, expected), "not learned: \(expected)\n\(table)")
    }

    func isLearned(_ sw: SwitchProcess, _ expected: [(String, Int)]) throws -> Bool {
        let rows = try sw.query(["show mac-address-table"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        return expected.allSatisfy { mac, port in rows.contains { $0.count >= 3 && $0[0] == mac && $0[2] == "\(port)" } }
    }

    /// Sends `frame` from `host` until its source is learned on `port` (the first frame
    /// after the switch starts may arrive before the host's link is ready): learning only.
    func teach(_ sw: SwitchProcess, _ frame: [UInt8], from host: LabHost, mac: String, port: Int) throws {
        for _ in 0..<10 {
            try send(frame, 1, from: host)
            if try isLearned(sw, [(mac, port)]) { return }
        }
        try waitForLearning(sw, [(mac, port)])
    }


    /// The `Port P: ...` lines' fast-path counts, by port then name (absent when zero).
    func fastPathCounters(_ sw: SwitchProcess) throws -> [Int: [String: Int]] {
        var out: [Int: [String: Int]] = [:]
        for line in try sw.query(["show interface counters"]).split(separator: "\n") where line.hasPrefix("Port ") {
            guard let colon = line.firstIndex(of: ":"), let port = Int(line.dropFirst(5)[..<colon]) else { continue }
            for part in line[line.index(after: colon)...].split(separator: ",") {
                let words = part.split(separator: " ")
                guard words.count == 2, words[0].hasPrefix("fast-path"), let value = Int(words[1]) else { continue }
                out[port, default: [:]][String(words[0])] = value
            }
        }
        return out
    }

    func rxStatistics(_ host: LabHost) throws -> PortIOLabTests.RxStatistics {
        try PortIOLabTests().rxStatistics(host)
    }
}
#endif
