#if os(Linux)
import Foundation
import Glibc
import Testing
import TestSupport

/// The switch's live port I/O kinds against real hosts: the same VLAN isolation,
/// learning and exact counters through libpcap, through plain AF_XDP (`--xdp-fast-path
/// off`) and through AF_XDP with the XDP fast path, and the fall back to libpcap when the
/// kernel refuses AF_XDP. (XDPFastPathLabTests has what only the fast path does.)
///
/// Addresses come only from 198.18.0.0/15 and live only inside the namespaces each
/// test creates and removes.
@Suite(.serialized) struct PortIOLabTests {
    /// An EtherType for local experiments (IEEE 802 "Local Experimental 1"): no host answers it.
    static let experimentalType: [UInt8] = [0x88, 0xb5]
    /// Lengths on the wire: a 42-byte frame (veth does not pad, as ARP shows), the
    /// Ethernet minimum, and the largest an MTU of 1500 allows.
    static let lengths = [42, 60, 1514]
    static let framesPerLength = 4

    @Test(.enabled(if: geteuid() == 0, "needs root: namespaces, veth pairs, packet and AF_XDP sockets"),
          arguments: ["pcap", "xdp", "xdp-fast"])
    func vlansLearningAndCountersOnEachIOKind(io: String) throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping"] { _ = try HostProcesses.executable(tool) }
        let lab = try LabTopology(hostCount: 3)
        defer { lab.tearDown() }
        try lab.create()
        let (h1, h2, h3) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        let macs = ["02:00:5e:10:00:01", "02:00:5e:10:00:02", "02:00:5e:10:00:03"]
        for (host, mac) in zip(lab.hosts, macs) {
            try HostProcesses.mustRun(["ip", "-n", host.namespace, "link", "set", host.hostSide, "address", mac])
        }

        // LLDP off from boot: the switch originates nothing (not even a shutdown LLDPDU,
        // which a later `no lldp enable` sends), so every frame counted is one sent here.
        let startup = lab.scratch + "/startup.cfg"
        try """
            no lldp enable
            vlan 10
                    exit
            vlan 20
                    exit
            interface port 1-2
                    switchport access vlan 10
                    exit
            interface port 3
                    switchport access vlan 20
                    exit

            """.write(toFile: startup, atomically: true, encoding: .utf8)
        let fastPath = io == "xdp" ? ["--xdp-fast-path", "off"] : []
        let sw = try lab.startSwitch(binary, io: io == "pcap" ? "pcap:" : "xdp:",
                                     extra: ["--startup-config", startup] + fastPath)
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show interface", "show interface counters", "show mac-address-table"]))
                ?? "(vmready did not answer)\n"
            return "I/O \(io)\n\(state)\(sw.transcript)\n\(lab.state)"
        }
        try sw.configure(["clear counters"])

        // Each port shows the I/O kind asked for, and nothing fell back.
        let expectedKinds = switch io {
        case "pcap": ["pcap"]
        case "xdp": ["xdp-native", "xdp-generic"]
        default: ["xdp-fast-native", "xdp-fast-generic"]
        }
        let status = try sw.query(["show interface"])
        for host in lab.hosts {
            let row = status.split(separator: "\n").first { $0.contains(host.switchSide) }.map(String.init) ?? ""
            let kind = row.split(separator: " ").map(String.init).first { expectedKinds.contains($0) }
            #expect(kind != nil, "port on \(host.switchSide) does not show \(expectedKinds)\n\(context())")
        }
        #expect(sw.stderr.isEmpty, "vmready reported errors\n\(context())")

        // Counters equal to what was sent: h1 sends to h2's MAC (unknown, so flooded in
        // VLAN 10 only: port 2), frames of every length.
        let baseline = try [h2, h3].map { try rxStatistics($0) }
        var sentBytes = 0
        for length in Self.lengths {
            let frame = Self.frame(to: macs[1], from: macs[0], length: length)
            try RawFrameSender.send(frame, count: Self.framesPerLength, namespace: h1.namespace, device: h1.hostSide)
            sentBytes += length * Self.framesPerLength
        }
        let sentFrames = Self.lengths.count * Self.framesPerLength
        // The switch reads its sockets between answering queries: ask until it has them all.
        var counters = try sw.portCounters()
        for _ in 0..<50 where (counters[1]?.first ?? 0) < sentFrames {
            counters = try sw.portCounters()
        }
        #expect(counters[1]?[0...1] == [sentFrames, sentBytes][...], "port 1 RX frames/bytes\n\(context())")
        #expect(counters[2]?[2...3] == [sentFrames, sentBytes][...], "port 2 TX frames/bytes\n\(context())")
        #expect(counters[3]?[0...3] == [0, 0, 0, 0][...], "port 3 (VLAN 20) saw traffic\n\(context())")
        let h2Received = try rxStatistics(h2)
        #expect(h2Received.frames - baseline[0].frames == sentFrames && h2Received.bytes - baseline[0].bytes == sentBytes,
                "h2 received \(h2Received.frames - baseline[0].frames) frames, \(h2Received.bytes - baseline[0].bytes) bytes\n\(context())")
        #expect(try rxStatistics(h3) == baseline[1], "h3 (VLAN 20) received frames of VLAN 10\n\(context())")

        // Learning: h2 answers h1's MAC, which the switch learned on port 1, so the frame
        // goes to port 1 alone; both MACs are in VLAN 10 on their ports.
        try RawFrameSender.send(Self.frame(to: macs[0], from: macs[1], length: 60), count: 1,
                                namespace: h2.namespace, device: h2.hostSide)
        counters = try sw.portCounters()
        for _ in 0..<50 where (counters[2]?.first ?? 0) < 1 { counters = try sw.portCounters() }
        #expect(counters[1]?[2] == 1 && counters[3]?[2] == 0, "h2's frame to h1 was not sent to port 1 alone\n\(context())")
        let table = try sw.query(["show mac-address-table"])
        for (mac, port) in [(macs[0], 1), (macs[1], 2)] {
            let learned = table.split(separator: "\n").contains { line in
                let fields = line.split(separator: " ")
                return fields.count >= 3 && fields[0] == mac && fields[1] == "10" && fields[2] == "\(port)"
            }
            #expect(learned, "\(mac) not learned on port \(port) in VLAN 10\n\(context())")
        }

        // VLAN isolation with a real stack (ARP's 42-byte frames included): h1 and h2 share
        // VLAN 10; h3 has an address in the same subnet but is in VLAN 20.
        try lab.address(h1, "198.18.20.1/24")
        try lab.address(h2, "198.18.20.2/24")
        try lab.address(h3, "198.18.20.3/24")
        #expect(try h1.ping("198.18.20.2", attempts: 3), "h1 cannot reach h2 in VLAN 10\n\(context())")
        #expect(try !h1.ping("198.18.20.3", attempts: 1), "h1 (VLAN 10) reached h3 (VLAN 20)\n\(context())")
        #expect(try !h3.ping("198.18.20.2", attempts: 1), "h3 (VLAN 20) reached h2 (VLAN 10)\n\(context())")

        #expect(sw.isRunning, "vmready exited during the lab test\n\(context())")
        let exit = sw.finish()
        #expect(exit == 0, "the batch session did not end cleanly\n\(context())")
        // A clean exit leaves no XDP program on the interfaces.
        for host in lab.hosts {
            let link = try HostProcesses.run(["ip", "link", "show", host.switchSide]).stdout
            #expect(!link.contains(" xdp"), "an XDP program was left on \(host.switchSide): \(link)")
        }
    }

    /// The ways the kernel refuses AF_XDP that a test can arrange.
    enum Refusal: String, CaseIterable, CustomTestStringConvertible {
        /// An MTU whose frames no AF_XDP frame holds (native veth refuses it too).
        case jumboMTU
        /// No CAP_BPF or CAP_SYS_ADMIN: the program cannot be loaded.
        case noCapability
        var testDescription: String { rawValue }
    }

    @Test(.enabled(if: geteuid() == 0, "needs root: namespaces, veth pairs, packet and AF_XDP sockets"),
          arguments: Refusal.allCases)
    func refusedXDPFallsBackToLibpcapAndSaysSoOnce(refusal: Refusal) throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping", "setpriv"] { _ = try HostProcesses.executable(tool) }
        let lab = try LabTopology(hostCount: 2)
        defer { lab.tearDown() }
        try lab.create()
        let (h1, h2) = (lab.hosts[0], lab.hosts[1])
        try lab.address(h1, "198.18.21.1/24")
        try lab.address(h2, "198.18.21.2/24")
        var launcher: [String] = []
        switch refusal {
        case .jumboMTU:
            try HostProcesses.mustRun(["ip", "link", "set", h1.switchSide, "mtu", "9000"])
            try HostProcesses.mustRun(["ip", "-n", h1.namespace, "link", "set", h1.hostSide, "mtu", "9000"])
        case .noCapability:
            launcher = ["setpriv", "--bounding-set=-bpf,-sys_admin", "--inh-caps=-bpf,-sys_admin", "--"]
        }

        let sw = try lab.startSwitch(binary, io: "xdp:", launcher: launcher)
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show interface", "show logging"])) ?? "(vmready did not answer)\n"
            return "refusal \(refusal)\n\(state)\(sw.transcript)\n\(lab.state)"
        }
        let status = try sw.query(["show interface"])
        let rows = lab.hosts.map { host in
            status.split(separator: "\n").first { $0.contains(host.switchSide) }.map(String.init) ?? ""
        }
        let fallbackHosts = refusal == .jumboMTU ? [h1] : lab.hosts
        for (host, row) in zip(lab.hosts, rows) {
            let fellBack = fallbackHosts.contains { $0.switchSide == host.switchSide }
            let expected = fellBack ? " pcap " : " xdp-"
            #expect(row.contains(expected), "\(host.switchSide) is not on \(expected)\n\(context())")
        }
        // One line per refused port, at start, on stderr and in the event log; without
        // CAP_BPF one more says the XDP fast path's program could not load either.
        let expectedReason = refusal == .jumboMTU ? "MTU 9000" : "CAP_BPF"
        let lines = sw.stderr.split(separator: "\n").map(String.init)
        let fastPathLines = lines.filter { $0.contains("XDP fast path") && $0.hasSuffix("AF_XDP ports without it") }
        #expect(fastPathLines.count == (refusal == .noCapability ? 1 : 0), "the fast path's refusal\n\(context())")
        #expect(lines.count == fallbackHosts.count + fastPathLines.count, "expected one line per refused port\n\(context())")
        for host in fallbackHosts {
            let said = lines.filter { $0.contains(host.switchSide) && $0.contains(expectedReason) && $0.hasSuffix("using libpcap") }
            #expect(said.count == 1, "no single fallback line for \(host.switchSide)\n\(context())")
        }
        let log = try sw.query(["show logging"])
        #expect(log.contains("using libpcap") && log.contains(expectedReason), "the fallback is not in the event log\n\(context())")

        // The fallen-back port forwards.
        try sw.configure(["configure terminal", "interface port 1-2", "switchport access vlan 1", "end"])
        #expect(try h1.ping("198.18.21.2", attempts: 3), "h1 cannot reach h2 through the libpcap port\n\(context())")
        #expect(sw.finish() == 0, "the batch session did not end cleanly\n\(context())")
    }

    /// The kernel refuses the XDP fast path but not AF_XDP: under a seccomp filter that
    /// forbids attaching BPF programs to tracepoints (Tests/Seccomp/deny-bpf-links.py), as a
    /// container's profile may, the fast path's refusal watchers cannot attach, so its
    /// program is refused once and every port stays on plain AF_XDP, and forwards.
    @Test(.enabled(if: geteuid() == 0, "needs root: namespaces, veth pairs, packet and AF_XDP sockets"))
    func refusedFastPathLeavesThePortsOnPlainAFXDP() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping"] { _ = try HostProcesses.executable(tool) }
        let filter = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appending(path: "../Seccomp/deny-bpf-links.py").standardized.path
        let lab = try LabTopology(hostCount: 2)
        defer { lab.tearDown() }
        try lab.create()
        let (h1, h2) = (lab.hosts[0], lab.hosts[1])
        try lab.address(h1, "198.18.22.1/24")
        try lab.address(h2, "198.18.22.2/24")

        // Automatic I/O, fast path on (the default): AF_XDP with the fast path wherever it can.
        let sw = try lab.startSwitch(binary, launcher: ["/usr/bin/python3", filter])
        defer { sw.stop() }
        func context() -> Comment {
            let state = (try? sw.query(["show interface", "show interface counters", "show logging"]))
                ?? "(vmready did not answer)\n"
            return "\(state)\(sw.transcript)\n\(lab.state)"
        }
        let status = try sw.query(["show interface"])
        for host in lab.hosts {
            let row = status.split(separator: "\n").first { $0.contains(host.switchSide) }.map(String.init) ?? ""
            #expect(row.contains(" xdp-native ") || row.contains(" xdp-generic "),
                    "\(host.switchSide) is not on plain AF_XDP\n\(context())")
        }
        // Said once, at start, on stderr and in the event log; no port fell back further.
        let lines = sw.stderr.split(separator: "\n").map(String.init)
        let refusals = lines.filter { $0.contains("XDP fast path") && $0.hasSuffix("AF_XDP ports without it") }
        #expect(refusals.count == 1 && lines.count == 1, "expected the one refusal line\n\(context())")
        #expect(refusals.first?.contains("bpf_program__attach") == true, "the refusal names the step\n\(context())")
        let log = try sw.query(["show logging"])
        #expect(log.contains("AF_XDP ports without it"), "the refusal is not in the event log\n\(context())")

        // Plain AF_XDP forwards, and nothing went through the kernel's fast path.
        #expect(try h1.ping("198.18.22.2", attempts: 3), "h1 cannot reach h2 through plain AF_XDP\n\(context())")
        let counters = try sw.query(["show interface counters"])
        #expect(!counters.contains("fast-path"), "fast path counters on ports without it\n\(context())")
        #expect(sw.finish() == 0, "the batch session did not end cleanly\n\(context())")
    }

    /// An Ethernet frame of `length` bytes, experimental EtherType, zero payload.
    static func frame(to destination: String, from source: String, length: Int) -> [UInt8] {
        let header = VMMigrationLabTests.macBytes(destination) + VMMigrationLabTests.macBytes(source) + experimentalType
        return header + [UInt8](repeating: 0, count: length - header.count)
    }


    /// What `host`'s veth end has received (the kernel's counters, in its namespace).
    func rxStatistics(_ host: LabHost) throws -> RxStatistics {
        func read(_ name: String) throws -> Int {
            let result = try HostProcesses.run(host.command(["cat", "/sys/class/net/\(host.hostSide)/statistics/\(name)"]))
            guard result.succeeded, let value = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw LabFailure(description: "cannot read \(name) of \(host.hostSide): \(result)")
            }
            return value
        }
        return RxStatistics(frames: try read("rx_packets"), bytes: try read("rx_bytes"))
    }

    struct RxStatistics: Equatable {
        let frames: Int
        let bytes: Int
    }
}
#endif
