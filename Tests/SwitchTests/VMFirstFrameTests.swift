import Dataplane
import FrameTestSupport
import Frames
import Switch
import Testing

/// A group member's policy is in place before its very first frame is forwarded, as for
/// a migration: the frame that reveals a VM named by MAC already egresses in its group's
/// VLAN, with its group's tagging and its limits (switching.md, "VM groups and profiles").
@Suite struct VMFirstFrameTests {
    @Test func thePendingMembersFirstFrameLeavesInTheGroupsVLAN() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 10", "vlan 100", "vm 00:50:56:9c:00:c8", "exit"])
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 25)), on: 1)
        let egress = lab.takeEgress()
        // Not flooded in port 1's own VLAN 1 (ports 2 and 3 are in it, untagged): only the
        // trunk carries VLAN 100, tagged.
        #expect(egress.keys.sorted() == [4])
        #expect(egress[4]?.map(VLANOf.frame) == [100])
        #expect(lab.show("show virt vm -v").contains { $0.contains("VMware, VLAN 100, live") })
    }

    @Test func aTaggedMembersFirstTaggedFrameIsAccepted() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 10", "vlan 100", "tag", "vm 00:50:56:9c:00:c8", "exit"])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web, vlan: 100), on: 1)
        let egress = lab.takeEgress()
        #expect(egress.keys.sorted() == [4], "the port accepts VLAN 100 from the member before it carries it")
        #expect(egress[4]?.map(VLANOf.frame) == [100])
        #expect(lab.membership(100) == [1, 4])
    }

    @Test func thePendingMembersLimitsApplyFromItsFirstFrame() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmpolicy vmbwidth 00:50:56:9c:00:c8 txrate 64 1",
                                           "virt vmpolicy vmbwidth 00:50:56:9c:00:c8 bwctrl"])
        var frame = FrameBuilder(destination: .broadcast, source: VMs.web)
        frame.payload = Array(repeating: 0, count: 500)
        let bytes = frame.bytes
        // Ten frames in one go, before the VM layer hears of the VM: a 1-kbyte burst admits two at most.
        lab.sw.dataplane.withPipeline { pipeline in
            for _ in 0..<10 { bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: 1) } }
        }
        lab.sw.settle()
        #expect(lab.sw.dataplane.counters()[0].drops[.rateLimited, default: 0] >= 5)
    }

    @Test func aMemberByIPWaitsForItsAddress() throws {
        // An IP names a VM only once the switch has learned it from the VM's frames:
        // the frame that teaches it is switched before the group applies.
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 20", "vlan 100", "vm 198.18.46.25", "exit"])
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 25)), on: 1)
        #expect(lab.takeEgress().keys.sorted() == [2, 3, 4])
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 25)), on: 1)
        #expect(lab.takeEgress().keys.sorted() == [4])
    }
}

/// The VLAN a frame leaving a port belongs to: its tag's VID, 0 when untagged.
enum VLANOf {
    static func frame(_ bytes: [UInt8]) -> UInt16 {
        guard bytes.count >= 16, bytes[12] == 0x81, bytes[13] == 0x00 else { return 0 }
        return UInt16(bytes[14] & 0x0f) << 8 | UInt16(bytes[15])
    }
}
