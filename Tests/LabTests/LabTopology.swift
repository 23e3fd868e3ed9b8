#if os(Linux)
import Foundation
import Glibc

/// One host: a network namespace and a veth pair, one end inside it, the other in the
/// root namespace where the switch attaches to it.
struct LabHost {
    let namespace: String
    /// The veth end in the root namespace (the switch port's interface).
    let switchSide: String
    /// The veth end inside the namespace.
    let hostSide: String

    /// `argv` run inside the namespace.
    func command(_ argv: [String]) -> [String] { ["ip", "netns", "exec", namespace] + argv }

    /// `ping -c COUNT -W 1` from inside the namespace (out of `device` when given), up to
    /// `attempts` times until one run gets a reply. Retries bound a wait (the switch starting
    /// up, a VM being detected); nothing is timed.
    func ping(_ address: String, device: String? = nil, count: Int = 3, attempts: Int) throws -> Bool {
        let bind = device.map { ["-I", $0] } ?? []
        for _ in 0..<attempts {
            if try HostProcesses.run(command(["ping", "-n", "-q", "-c", String(count), "-W", "1"] + bind + [address])).succeeded {
                return true
            }
        }
        return false
    }
}

/// The lab's namespaces and veths, named with a random suffix so that parallel runs never
/// collide. `tearDown` removes all of it and is safe after a partial `create`.
final class LabTopology {
    let suffix: String
    let hosts: [LabHost]
    let scratch: String
    private var vlanInterfaces: [UserspaceVLANInterface] = []
    private var tornDown = false

    init(hostCount: Int) throws {
        let suffix = String(format: "%06x", UInt32.random(in: 0..<0x100_0000))
        self.suffix = suffix
        // Interface names stay within 15 characters: "vmrs1-abcdef" is 12.
        hosts = (1...hostCount).map { i in
            LabHost(namespace: "vmr-h\(i)-\(suffix)", switchSide: "vmrs\(i)-\(suffix)", hostSide: "vmrh\(i)-\(suffix)")
        }
        scratch = FileManager.default.temporaryDirectory.path + "/vmready-lab-\(suffix)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    deinit { tearDown() }

    /// Creates every namespace and veth pair: no IPv6 (no stray solicitations through the
    /// switch), checksum offload off on both ends (a packet-socket switch carries frames
    /// whose checksums were never filled in otherwise), links up.
    func create() throws {
        for host in hosts {
            try HostProcesses.mustRun(["ip", "netns", "add", host.namespace])
            try HostProcesses.mustRun(["ip", "link", "add", host.switchSide, "type", "veth",
                                       "peer", "name", host.hostSide, "netns", host.namespace])
            try HostProcesses.mustRun(["sysctl", "-q", "-w", "net.ipv6.conf.\(host.switchSide).disable_ipv6=1"])
            for scope in ["all", "default", host.hostSide] {
                try HostProcesses.mustRun(host.command(["sysctl", "-q", "-w", "net.ipv6.conf.\(scope).disable_ipv6=1"]))
            }
            try HostProcesses.mustRun(["ethtool", "-K", host.switchSide, "tx", "off", "rx", "off"])
            try HostProcesses.mustRun(host.command(["ethtool", "-K", host.hostSide, "tx", "off", "rx", "off"]))
            try HostProcesses.mustRun(["ip", "link", "set", host.switchSide, "up"])
            try HostProcesses.mustRun(["ip", "-n", host.namespace, "link", "set", "lo", "up"])
            try HostProcesses.mustRun(["ip", "-n", host.namespace, "link", "set", host.hostSide, "up"])
        }
    }

    /// Gives `host`'s veth end the address `cidr`.
    func address(_ host: LabHost, _ cidr: String) throws {
        try HostProcesses.mustRun(["ip", "-n", host.namespace, "addr", "add", cidr, "dev", host.hostSide])
    }

    /// Adds a VLAN `vid` sub-interface on `host`'s veth end (or on `parent`, another of
    /// its interfaces: a C-VLAN on an S-channel) with the address `cidr`; its name. `sTag`
    /// makes it an 802.1ad one (TPID 0x88a8: a server NIC's S-channel, the vNIC whose
    /// S-VID is `vid`) instead of 802.1Q. The kernel's 802.1Q driver when it
    /// has one; otherwise (kernels built without CONFIG_VLAN_8021Q, as on the lab
    /// machines) a TAP device whose frames this process tags and untags, which is what
    /// the kernel's sub-interface does.
    func addVLANInterface(_ host: LabHost, on parent: String? = nil, vid: UInt16, sTag: Bool = false,
                          cidr: String) throws -> (name: String, kind: String) {
        let standard = sTag ? "802.1ad" : "802.1Q"
        let parent = parent ?? host.hostSide
        // "parent.vid" only on the veth: a stacked name would pass the 15-character limit.
        let shortName = "\(sTag ? "vmra" : "vmrv")\(vid)-\(suffix)"
        var name = parent == host.hostSide ? "\(parent).\(vid)" : shortName
        var kind = "kernel \(standard) sub-interface"
        let kernel = try HostProcesses.run(["ip", "-n", host.namespace, "link", "add", "link", parent,
                                            "name", name, "type", "vlan"] + (sTag ? ["proto", "802.1ad"] : [])
                                           + ["id", String(vid)])
        if !kernel.succeeded {
            // Distinct prefixes: a namespace may hold an S-channel and a C-VLAN of one VID.
            name = shortName
            kind = "userspace \(standard) sub-interface (the kernel has no 802.1Q driver: \(kernel.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))"
            vlanInterfaces.append(try UserspaceVLANInterface(namespace: host.namespace, parent: parent,
                                                             vid: vid, tpid: sTag ? 0x88a8 : 0x8100, name: name))
        }
        try HostProcesses.mustRun(host.command(["sysctl", "-q", "-w", "net.ipv6.conf.\(name).disable_ipv6=1"]))
        // Best effort: a kernel VLAN device may have these fixed, and its frames leave
        // through the parent, whose offload is already off.
        _ = try HostProcesses.run(host.command(["ethtool", "-K", name, "tx", "off", "rx", "off"]))
        try HostProcesses.mustRun(["ip", "-n", host.namespace, "addr", "add", cidr, "dev", name])
        try HostProcesses.mustRun(["ip", "-n", host.namespace, "link", "set", name, "up"])
        return (name, kind)
    }

    /// Forgets every neighbour `host` has learned, so its next ping starts with ARP.
    func flushNeighbours(_ host: LabHost) throws {
        try HostProcesses.mustRun(["ip", "-n", host.namespace, "neigh", "flush", "all"])
    }

    /// Starts `binary` as the switch with one port per host, port N attached to host
    /// N's switch-side veth, and its state directory in the scratch directory; `extra`
    /// arguments follow. `io` prefixes each attachment (`xdp:`, `pcap:`); none lets the
    /// switch choose (AF_XDP where the kernel allows it). `launcher` runs the switch
    /// (e.g. `setpriv` with fewer capabilities), the binary and its arguments following.
    func startSwitch(_ binary: String, io: String = "", extra: [String] = [], launcher: [String] = [],
                     syncMarker: SwitchProcess.SyncMarker = .hostname) throws -> SwitchProcess {
        try FileManager.default.createDirectory(atPath: scratch + "/state", withIntermediateDirectories: true)
        let arguments = ["--state-dir", scratch + "/state", "--ports", String(hosts.count)]
            + hosts.enumerated().flatMap { ["--attach", "\($0.offset + 1)=\(io)\($0.element.switchSide)"] } + extra
        guard let program = launcher.first else {
            return try SwitchProcess(binary: binary, arguments: arguments, scratch: scratch, syncMarker: syncMarker)
        }
        return try SwitchProcess(binary: program, arguments: Array(launcher.dropFirst()) + [binary] + arguments,
                                 scratch: scratch, syncMarker: syncMarker)
    }

    /// Removes everything `create` may have made; never throws.
    func tearDown() {
        guard !tornDown else { return }
        tornDown = true
        for vlan in vlanInterfaces { vlan.stop() }
        vlanInterfaces.removeAll()
        for host in hosts {
            // Deleting the namespace destroys the veth end in it, and with it the pair.
            _ = try? HostProcesses.run(["ip", "netns", "del", host.namespace])
        }
        for host in hosts where FileManager.default.fileExists(atPath: "/sys/class/net/\(host.switchSide)") {
            _ = try? HostProcesses.run(["ip", "link", "del", host.switchSide])
        }
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// The namespaces' links and addresses, for failure messages.
    var state: String {
        hosts.map { host in
            let links = (try? HostProcesses.run(["ip", "-n", host.namespace, "-br", "addr"]))?.stdout ?? "?"
            return "--- \(host.namespace) ---\n\(links)"
        }.joined()
    }
}
#endif
