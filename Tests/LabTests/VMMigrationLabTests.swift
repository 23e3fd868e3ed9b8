#if os(Linux)
import Foundation
import Glibc
import Synchronization
import Testing
import TestSupport

/// VMready between real hosts: a VM migrates between two hypervisors and its VM group's
/// policy follows it.
///
/// Two namespaces are hypervisors on server ports 1 and 2, a third is a client on port 3.
/// Each hypervisor bridges its uplink veth (`br0`) with the VM's veth pair, the way a
/// hypervisor's virtual switch sits between a VM and the physical NIC. The VM is the
/// `vm` end of that pair, holding a VMware MAC and 198.18.20.10/24; migrating deletes it
/// on one hypervisor and recreates it on the other, which then announces it as vMotion
/// does (RARP), and moving back announces it with a gratuitous ARP.
///
/// Ports 1-2 stay in access VLAN 1 and the client is in VLAN 20: only the VM group's
/// VLAN lets the VM and the client reach each other, so every successful ping proves the
/// group's policy is applied on the VM's current port.
@Suite(.serialized) struct VMMigrationLabTests {
    /// A VMware VM's MAC (00:50:56, below the service-console and VMkernel ranges).
    static let vmMAC = "00:50:56:3a:20:10"
    static let vmIP = "198.18.20.10"
    static let clientIP = "198.18.20.1"
    static let group = "20"

    @Test(.enabled(if: geteuid() == 0,
                   "needs root: the lab test creates network namespaces, bridges and veth pairs (CI runs it as root)"))
    func vmKeepsItsGroupVLANAcrossAnnouncedMigrations() throws {
        let binary = try TmuxTerminal.vmreadyBinary().path
        for tool in ["ip", "sysctl", "ethtool", "ping"] { _ = try HostProcesses.executable(tool) }

        let lab = try LabTopology(hostCount: 3)
        defer { lab.tearDown() }
        try lab.create()
        let (hypervisorA, hypervisorB, client) = (lab.hosts[0], lab.hosts[1], lab.hosts[2])
        try lab.address(client, "\(Self.clientIP)/24")
        for hypervisor in [hypervisorA, hypervisorB] { try LabVirtualMachine.makeVirtualSwitch(in: hypervisor) }
        let vmOnA = LabVirtualMachine(host: hypervisorA, name: "vm", mac: Self.vmMAC, cidr: "\(Self.vmIP)/24")
        let vmOnB = LabVirtualMachine(host: hypervisorB, name: "vm", mac: Self.vmMAC, cidr: "\(Self.vmIP)/24")
        try vmOnA.create()

        let sw = try lab.startSwitch(binary)
        defer { sw.stop() }
        // Evaluated only when an expectation fails.
        func context() -> Comment {
            let state = (try? sw.query(["show virt vm -v", "show virt migrations", "show interface counters",
                                        "show mac-address-table", "show logging"])) ?? "(vmready did not answer)\n"
            return "--- switch state ---\n\(state)\(sw.transcript)\n\(lab.state)"
        }

        try sw.configure([
            "configure terminal",
            "vlan 20", "exit",
            "system server-ports port 1-2",
            "virt enable",
            "interface port 3", "switchport access vlan 20", "exit",
            "end",
        ])

        // Control: without a group the VM stays in port 1's VLAN 1, apart from the client.
        // The switch does see it (its ARP detects it, with no group), so the silence is
        // VLAN separation, not a switch still starting up.
        #expect(try !hypervisorA.ping(Self.clientIP, device: "vm", attempts: 1),
                "the VM reached the client (VLAN 20) from port 1 (VLAN 1) with no VM group\n\(context())")
        var row = try vmRow(sw, expectingPort: "1")
        #expect(row == [Self.vmIP, Self.vmMAC, "1"],
                "show virt vm does not list the VM, in no group, on port 1\n\(context())")

        // The group puts the live VM in VLAN 20 on whatever port it is on.
        try sw.configure(["configure terminal", "virt vmgroup \(Self.group)", "vlan 20", "vm \(Self.vmMAC)", "end"])
        #expect(try hypervisorA.ping(Self.clientIP, device: "vm", attempts: 3),
                "the VM on hypervisor A cannot reach the client through its group's VLAN\n\(context())")
        #expect(try client.ping(Self.vmIP, attempts: 3),
                "the client cannot reach the VM on hypervisor A\n\(context())")
        row = try vmRow(sw, expectingPort: "1")
        #expect(row == [Self.vmIP, Self.vmMAC, "1", Self.group],
                "show virt vm does not list the VM on port 1 in group \(Self.group)\n\(context())")

        // vMotion A → B: the VM vanishes from A, appears on B, and B announces it with a
        // RARP before the VM sends anything itself (its address comes after), so the
        // switch can only have learned the move from the announcement.
        try vmOnA.delete()
        try vmOnB.create(addressed: false)
        try RawFrameSender.send(Self.rarpAnnouncement(mac: Self.vmMAC), count: 3,
                                namespace: hypervisorB.namespace, device: "vm")
        let toB = try waitForMove(sw, from: "1", to: "2")
        #expect(toB == ["20", "1", "2", "RARP"],
                "show virt migrations does not show the RARP-announced move from port 1 to port 2\n\(context())")
        try vmOnB.addAddress()
        // The client keeps its ARP entry: its next unicast frames must reach port 2.
        #expect(try client.ping(Self.vmIP, attempts: 3),
                "the client cannot reach the VM after it moved to hypervisor B\n\(context())")
        row = try vmRow(sw, expectingPort: "2")
        #expect(row == [Self.vmIP, Self.vmMAC, "2", Self.group],
                "show virt vm does not list the VM on port 2 in group \(Self.group) after the move\n\(context())")

        // And back B → A, announced by a gratuitous ARP this time.
        try vmOnB.delete()
        try vmOnA.create()
        try RawFrameSender.send(Self.gratuitousARP(mac: Self.vmMAC, ip: [198, 18, 20, 10]), count: 3,
                                namespace: hypervisorA.namespace, device: "vm")
        let toA = try waitForMove(sw, from: "2", to: "1")
        #expect(toA == ["20", "2", "1", "GARP"],
                "show virt migrations does not show the GARP-announced move from port 2 back to port 1\n\(context())")
        #expect(try client.ping(Self.vmIP, attempts: 3),
                "the client cannot reach the VM after it moved back to hypervisor A\n\(context())")
        row = try vmRow(sw, expectingPort: "1")
        #expect(row == [Self.vmIP, Self.vmMAC, "1", Self.group],
                "show virt vm does not list the VM back on port 1 in group \(Self.group)\n\(context())")

        #expect(sw.isRunning, "vmready exited during the lab test\n\(context())")
        print("VMMigrationLabTests: show virt migrations\n" + (try sw.query(["show virt migrations"])))
        let status = sw.finish()
        #expect(status == 0, "the batch session did not end cleanly (wait status \(status.map(String.init) ?? "none, killed"))\n\(context())")
        #expect(sw.stderr.isEmpty, "vmready reported errors\n\(context())")
    }

    // MARK: What the switch says

    /// The `show virt vm` row for the VM as [IP, MAC, port, group if any], polled until it shows
    /// `port` (frames reach the switch asynchronously) or a few seconds pass; the last row
    /// seen (empty when the VM is not listed) so that the caller's expectation reports it.
    private func vmRow(_ sw: SwitchProcess, expectingPort port: String) throws -> [String] {
        var fields: [String] = []
        for _ in 0..<20 {
            let output = try sw.query(["show virt vm"])
            // IP, MAC, index, port, group: the index depends on detection order, not checked.
            let row = output.split(separator: "\n").first { $0.contains(Self.vmMAC) }
            let columns = row.map { $0.split(separator: " ").map(String.init) } ?? []
            fields = columns.count >= 4 ? [columns[0], columns[1]] + columns[3...] : columns
            if fields.count >= 3 && fields[2] == port { break }
            usleep(250_000)
        }
        return fields
    }

    /// The newest `show virt migrations` row for the VM as [VLAN, from, to, how], polled
    /// until one from `from` to `to` shows up or a few seconds pass (the announcement may
    /// still be on its way through the switch); the newest row seen otherwise.
    private func waitForMove(_ sw: SwitchProcess, from: String, to: String) throws -> [String] {
        var fields: [String] = []
        for _ in 0..<20 {
            let output = try sw.query(["show virt migrations"])
            // Newest first; the time before the MAC has spaces in it, so count from the MAC.
            let row = output.split(separator: "\n").first { $0.contains(Self.vmMAC) }
            let columns = row.map { $0.split(separator: " ").map(String.init) } ?? []
            if let mac = columns.firstIndex(of: Self.vmMAC) { fields = Array(columns[(mac + 1)...]) }
            if fields.count >= 3 && fields[1] == from && fields[2] == to { break }
            usleep(250_000)
        }
        return fields
    }


    // MARK: Announcements

    /// The RARP a hypervisor broadcasts for a VM it just received (vMotion, QEMU):
    /// opcode 3, sender and target hardware address both the VM's, no IP addresses.
    static func rarpAnnouncement(mac: String) -> [UInt8] {
        let vm = macBytes(mac)
        return ethernet(source: vm, etherType: 0x8035,
                        body: arpBody(operation: 3, senderMAC: vm, senderIP: [0, 0, 0, 0], targetMAC: vm, targetIP: [0, 0, 0, 0]))
    }

    /// A gratuitous ARP request: the VM asks for its own address (sender IP = target IP).
    static func gratuitousARP(mac: String, ip: [UInt8]) -> [UInt8] {
        let vm = macBytes(mac)
        return ethernet(source: vm, etherType: 0x0806,
                        body: arpBody(operation: 1, senderMAC: vm, senderIP: ip, targetMAC: [0, 0, 0, 0, 0, 0], targetIP: ip))
    }

    /// A broadcast frame padded to the 60-byte Ethernet minimum (the FCS is the NIC's).
    static func ethernet(source: [UInt8], etherType: UInt16, body: [UInt8]) -> [UInt8] {
        var frame = [UInt8](repeating: 0xff, count: 6) + source + [UInt8(etherType >> 8), UInt8(etherType & 0xff)] + body
        if frame.count < 60 { frame += [UInt8](repeating: 0, count: 60 - frame.count) }
        return frame
    }

    /// An Ethernet/IPv4 ARP or RARP body.
    static func arpBody(operation: UInt8, senderMAC: [UInt8], senderIP: [UInt8], targetMAC: [UInt8], targetIP: [UInt8]) -> [UInt8] {
        [0, 1, 0x08, 0x00, 6, 4, 0, operation] + senderMAC + senderIP + targetMAC + targetIP
    }

    static func macBytes(_ text: String) -> [UInt8] {
        text.split(separator: ":").map { UInt8($0, radix: 16) ?? 0 }
    }
}

/// Sends raw frames out of an interface inside a network namespace through an AF_PACKET
/// socket, as a hypervisor's virtual switch injects its announcements.
///
/// The socket belongs to the namespace of the thread that opens it, so a thread of its
/// own enters the namespace (setns changes only the calling thread) and does the work;
/// the caller's threads stay in the root namespace.
enum RawFrameSender {
    private static let afPacket: Int32 = 17
    private static let sockaddrLLSize = 20

    /// Sends `frame` `count` times, 100 ms apart (hypervisors repeat their announcements
    /// in case one is lost), out of `device` in `namespace`.
    static func send(_ frame: [UInt8], count: Int, namespace: String, device: String) throws {
        let failure = Failure()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            do {
                try sendInNamespace(frame, count: count, namespace: namespace, device: device)
            } catch {
                failure.message.withLock { $0 = "\(error)" }
            }
        }
        thread.start()
        done.wait()
        if let message = failure.message.withLock({ $0 }) {
            throw LabFailure(description: "cannot send a raw frame from \(device) in \(namespace): \(message)")
        }
    }

    /// What went wrong on the sending thread, handed back to the caller.
    private final class Failure: Sendable {
        let message = Mutex<String?>(nil)
    }

    private static func sendInNamespace(_ frame: [UInt8], count: Int, namespace: String, device: String) throws {
        try NetworkNamespace.enter(namespace)

        let index = if_nametoindex(device)
        guard index > 0 else { throw LabFailure(description: "no interface \(device): \(String(cString: strerror(errno)))") }
        let etherType = UInt16(frame[12]) << 8 | UInt16(frame[13])
        // Protocol 0: a socket that only sends, never receives.
        let fd = socket(afPacket, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LabFailure(description: "packet socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // struct sockaddr_ll: family, protocol, ifindex, hatype, pkttype, halen, addr[8].
        var address = [UInt8](repeating: 0, count: sockaddrLLSize)
        address.withUnsafeMutableBytes {
            $0.storeBytes(of: UInt16(afPacket), toByteOffset: 0, as: UInt16.self)
            $0.storeBytes(of: etherType.bigEndian, toByteOffset: 2, as: UInt16.self)
            $0.storeBytes(of: Int32(index), toByteOffset: 4, as: Int32.self)
            $0.storeBytes(of: UInt8(6), toByteOffset: 11, as: UInt8.self)
            for i in 0..<6 { $0[12 + i] = frame[i] }
        }
        for attempt in 0..<count {
            if attempt > 0 { usleep(100_000) }
            let sent = frame.withUnsafeBytes { bytes in
                address.withUnsafeBytes {
                    sendto(fd, bytes.baseAddress, bytes.count, 0,
                           $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(sockaddrLLSize))
                }
            }
            guard sent == frame.count else { throw LabFailure(description: "sendto: \(String(cString: strerror(errno)))") }
        }
    }
}
#endif
