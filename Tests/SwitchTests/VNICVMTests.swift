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
