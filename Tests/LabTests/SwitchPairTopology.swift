#if os(Linux)
import Foundation
import Glibc

/// Two switches in one lab, joined by a trunk: what a data centre with more than one
/// switch looks like to a VM that migrates between them.
///
/// Three hosts (namespaces on veth pairs, `LabTopology`): hypervisor A on switch A's port 1,
/// a client on switch A's port 3, hypervisor B on switch B's port 1. Switch A's port 2 and
/// switch B's port 2 are the two ends of one veth pair in the root namespace (the trunk).
/// Each switch has a scratch directory of its own (its output and state).
final class SwitchPairTopology {
    let lab: LabTopology
    /// The trunk's ends: switch A's port 2, switch B's port 2.
    let trunkA: String
    let trunkB: String
    private var tornDown = false

    var hypervisorA: LabHost { lab.hosts[0] }
    var client: LabHost { lab.hosts[1] }
    var hypervisorB: LabHost { lab.hosts[2] }

    init() throws {
        lab = try LabTopology(hostCount: 3)
        // Within 15 characters, and apart from LabTopology's vmrs/vmrh names.
        trunkA = "vmrta-\(lab.suffix)"
        trunkB = "vmrtb-\(lab.suffix)"
    }

    deinit { tearDown() }

    /// The hosts, then the trunk: no IPv6 and no checksum offload on either end (as
    /// `LabTopology.create` does for the hosts' veths), links up.
    func create() throws {
        try lab.create()
        try HostProcesses.mustRun(["ip", "link", "add", trunkA, "type", "veth", "peer", "name", trunkB])
        for end in [trunkA, trunkB] {
            try HostProcesses.mustRun(["sysctl", "-q", "-w", "net.ipv6.conf.\(end).disable_ipv6=1"])
            try HostProcesses.mustRun(["ethtool", "-K", end, "tx", "off", "rx", "off"])
            try HostProcesses.mustRun(["ip", "link", "set", end, "up"])
        }
    }

    /// Switch A: port 1 hypervisor A, port 2 the trunk, port 3 the client.
    func startSwitchA(_ binary: String) throws -> SwitchProcess {
        try startSwitch(binary, name: "switch-a", attachments: [hypervisorA.switchSide, trunkA, client.switchSide])
    }

    /// Switch B: port 1 hypervisor B, port 2 the trunk.
    func startSwitchB(_ binary: String) throws -> SwitchProcess {
        try startSwitch(binary, name: "switch-b", attachments: [hypervisorB.switchSide, trunkB])
    }

    private func startSwitch(_ binary: String, name: String, attachments: [String]) throws -> SwitchProcess {
        let scratch = lab.scratch + "/" + name
        try FileManager.default.createDirectory(atPath: scratch + "/state", withIntermediateDirectories: true)
        let arguments = ["--state-dir", scratch + "/state", "--ports", String(attachments.count)]
            + attachments.enumerated().flatMap { ["--attach", "\($0.offset + 1)=\($0.element)"] }
        return try SwitchProcess(binary: binary, arguments: arguments, scratch: scratch)
    }

    /// Removes the trunk and everything `LabTopology` made; never throws, safe after a
    /// partial `create`.
    func tearDown() {
        guard !tornDown else { return }
        tornDown = true
        // Deleting one end of a veth pair deletes both.
        if FileManager.default.fileExists(atPath: "/sys/class/net/\(trunkA)") {
            _ = try? HostProcesses.run(["ip", "link", "del", trunkA])
        }
        lab.tearDown()
    }

    /// The namespaces' and the trunk's links, for failure messages.
    var state: String {
        let trunk = (try? HostProcesses.run(["ip", "-br", "link", "show", "dev", trunkA]))?.stdout ?? "?"
        return lab.state + "--- trunk ---\n\(trunk)"
    }
}
#endif
