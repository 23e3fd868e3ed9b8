#if os(Linux)
import Foundation

/// A hypervisor's soft switch and a VM on a lab host, the way a hypervisor's virtual
/// switch sits between a VM and the physical NIC: the host's uplink veth and the VM's
/// veth pair (`NAME`/`NAME-br`) bridged on `br0`, the VM end holding the VM's MAC (and an
/// address when given). Nothing is sent on creation: no IPv6, and Linux announces no IPv4
/// address on its own (arp_notify is off).
struct LabVirtualMachine {
    let host: LabHost
    let name: String
    let mac: String
    let cidr: String?

    /// `br0` with the host's uplink veth on it.
    static func makeVirtualSwitch(in host: LabHost) throws {
        try inside(host, ["ip", "link", "add", "br0", "type", "bridge"])
        try inside(host, ["sysctl", "-q", "-w", "net.ipv6.conf.br0.disable_ipv6=1"])
        try inside(host, ["ip", "link", "set", host.hostSide, "master", "br0"])
        try inside(host, ["ip", "link", "set", "br0", "up"])
    }

    /// Creates it, with its address unless `addressed` is false (a VM that has just arrived
    /// says nothing until told to).
    func create(addressed: Bool = true) throws {
        try Self.inside(host, ["ip", "link", "add", name, "type", "veth", "peer", "name", name + "-br"])
        for device in [name, name + "-br"] {
            try Self.inside(host, ["sysctl", "-q", "-w", "net.ipv6.conf.\(device).disable_ipv6=1"])
            // A packet-socket switch forwards frames as the kernel left them: checksums
            // must be filled in before they leave the namespace.
            try Self.inside(host, ["ethtool", "-K", device, "tx", "off", "rx", "off"])
        }
        try Self.inside(host, ["ip", "link", "set", "dev", name, "address", mac])
        try Self.inside(host, ["ip", "link", "set", name + "-br", "master", "br0"])
        try Self.inside(host, ["ip", "link", "set", name + "-br", "up"])
        try Self.inside(host, ["ip", "link", "set", name, "up"])
        if addressed { try addAddress() }
    }

    func addAddress() throws {
        guard let cidr else { return }
        try Self.inside(host, ["ip", "addr", "add", cidr, "dev", name])
    }

    func delete() throws {
        try Self.inside(host, ["ip", "link", "del", name])
    }

    static func inside(_ host: LabHost, _ argv: [String]) throws {
        try HostProcesses.mustRun(host.command(argv))
    }
}
#endif
