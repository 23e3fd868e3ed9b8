import Console
import Dataplane
import FrameTestSupport
import Frames
@testable import Switch
import SwitchTypes
import Testing

/// VMs behind NIC partitions: a VM detected on a vNIC is listed on `1.2`, and a VM moving
/// between two vNICs of one port is a migration like any other.
@Suite struct VNICVMTests {
    /// `frame` as vNIC `svid`'s partition sends it: inside an 802.1ad S-tag.
    static func sTagged(_ frame: FrameBuilder, svid: UInt16) -> [UInt8] {
        let bytes = frame.bytes
        return Array(bytes[0..<12]) + [0x88, 0xa8, UInt8(svid >> 8), UInt8(svid & 0xff)] + Array(bytes[12...])
    }

    @Test func aVMOnAVNICIsListedThereAndMovesBetweenVNICs() throws {
        let lab = try VMreadyBench(setup: ["virt enable"])
        try lab.sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            s.bridge.vnicEnabled = true
            var vnics = VNICPortConfiguration()
            for index in 1...2 {
                var vnic = VNICConfiguration(index: index)
                vnic.isEnabled = true
                vnics.vnics[index] = vnic
            }
            s.bridge.vnicPorts[1] = vnics
        }
        let arp = FrameBuilder.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 25))
        lab.sendRaw(Self.sTagged(arp, svid: 2), on: 1)
        #expect(lab.show("show virt vm").contains { $0.hasPrefix("198.18.46.25    00:50:56:9c:00:c8") && $0.hasSuffix(" 1.2") })
        lab.sendRaw(Self.sTagged(.migrationRARP(VMs.web), svid: 1), on: 1)
        #expect(lab.show("show virt migrations").contains { $0.contains("1.2   1.1   RARP") })
        #expect(lab.show("show logging").contains { $0.hasSuffix("VM 00:50:56:9c:00:c8 moved from port 1.2 to port 1.1 (RARP)") })
    }
}

/// `interface port P.I`: a vNIC's own switchport settings, typed at the CLI, are what its
/// frames meet in the bridge.
@Suite struct VNICSwitchportTests {
    static let a = MACAddress(0x02, 0, 0, 0, 0x01, 0x01), b = MACAddress(0x02, 0, 0, 0, 0x01, 0x02)

    static func bench() throws -> VMreadyBench {
        let lab = try VMreadyBench()
        try lab.run(["configure terminal", "vnic enable",
                     "vnic port 1 index 1", "enable", "exit", "vnic port 1 index 2", "enable", "exit",
                     "access-control list 9 ethernet ethernet-type arp", "access-control list 9 action deny",
                     "interface port 1.1", "switchport access vlan 100", "exit", "end"])
        return lab
    }

    @Test func aVNICsAccessVLANTakesItsFramesOntoTheTrunkTagged() throws {
        let lab = try Self.bench()
        _ = lab.takeEgress()
        let frame = FrameBuilder(destination: .broadcast, source: Self.a)
        lab.sendRaw(VNICVMTests.sTagged(frame, svid: 1), on: 1)
        let out = lab.takeEgress()
        // VLAN 100: only the trunk carries it (vNIC 1.2 stays in VLAN 1), tagged there.
        #expect(out.keys.sorted() == [4])
        #expect(out[4] == [FrameBuilder(destination: .broadcast, source: Self.a, vlan: 100).bytes])
        #expect(lab.sw.dataplane.macEntries().first { $0.mac == Self.a }.map { ($0.vlan, $0.bridgePort) }
                    .map { $0 == (100, BridgePort(port: 1, vnic: 1)) } == true)
    }

    @Test func anACLOnAVNICFiltersThatVNICOnly() throws {
        let lab = try Self.bench()
        try lab.run(["configure terminal", "interface port 1.2", "access-control list 9", "end"])
        let arp = FrameBuilder.gratuitousARP(Self.b, ip: IPv4Address(198, 18, 46, 1))
        lab.sendRaw(VNICVMTests.sTagged(arp, svid: 2), on: 1)
        #expect(lab.show("show interface counters port 1.2").last?.hasPrefix("Port 1.2: acl-deny 1") == true,
                "\(lab.show("show interface counters port 1.2"))")
        // The same ARP on the other vNIC is not filtered: the ACL is 1.2's, not port 1's.
        let other = FrameBuilder.gratuitousARP(Self.a, ip: IPv4Address(198, 18, 46, 2))
        lab.sendRaw(VNICVMTests.sTagged(other, svid: 1), on: 1)
        #expect(lab.show("show interface counters port 1.1").count == 3)
        #expect(lab.show("show access-control list 9").contains("    applied to port 1.2"))
    }

    @Test func aVNICsMACLimitHoldsOnThatVNICOnly() throws {
        let lab = try Self.bench()
        try lab.run(["configure terminal", "mac-address-table limit 1 port 1.1", "end"])
        for (svid, count) in [(UInt16(1), 2), (UInt16(2), 2)] {
            for n in 1...count {
                let frame = FrameBuilder(destination: .broadcast, source: MACAddress(rawValue: 0x0200_0000_1000 | UInt64(svid) << 8 | UInt64(n)))
                lab.sendRaw(VNICVMTests.sTagged(frame, svid: svid), on: 1)
            }
        }
        let counters = lab.show("show interface counters port 1.1-1.2")
        #expect(counters.contains("Port 1.1: not-learned (port limit) 1"), "\(counters)")
        #expect(!counters.contains { $0.hasPrefix("Port 1.2:") && $0.contains("port limit") })
        #expect(lab.sw.dataplane.macEntries().filter { $0.bridgePort == BridgePort(port: 1, vnic: 2) }.count == 2)
    }
}
