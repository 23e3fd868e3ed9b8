import Console
import Dataplane
import FrameTestSupport
import Frames
@testable import Switch
import SwitchTypes
import Testing

/// 802.1Qbg through the whole switch, fed the frames an lldpad station sent (captured,
/// Tests/FramesTests/Corpus/lldpad-evb.hex): its EVB TLV turns reflective relay on, and a VDP
/// association makes the VSI a VM in its type's VLAN on the port before its first frame; a
/// de-association takes that away.
@Suite struct EVBSwitchTests {
    static let vsi = MACAddress(0x52, 0x54, 0x00, 0x8e, 0xaa, 0x13)

    static func bench() throws -> VMreadyBench {
        try VMreadyBench(setup: [
            "virt enable", "virt evb profile 1", "reflective-relay", "vsi-discovery", "exit",
            "interface port 1", "evb profile 1", "exit",
            "virt evb vsitype 4711 version 1", "vlan 100", "exit",
        ])
    }

    @Test func theStationsEVBTLVTurnsReflectiveRelayOn() throws {
        let lab = try Self.bench()
        #expect(lab.sw.state.withLock { $0.published?[port: 1].reflectiveRelay } == false)
        lab.sendRaw(LLDPadEVBFrames.frame("lldp-station"), on: 1)
        let evb = lab.show("show virt evb")
        #expect(evb.contains { $0.hasPrefix("1     1        RR asked") && $0.hasSuffix("on") }, "\(evb)")
        #expect(lab.sw.state.withLock { $0.published?[port: 1].reflectiveRelay } == true)
        // The bridge's answer on port 1 carries RRCTR: the LLDPDU to the nearest customer bridge.
        _ = lab.ports[1].takeEgress()
    }

    @Test func anAssociatedVSIIsAVMInItsTypesVLANBeforeItsFirstFrame() throws {
        let lab = try Self.bench()
        lab.sendRaw(LLDPadEVBFrames.frame("lldp-station"), on: 1)
        lab.sendRaw(LLDPadEVBFrames.frame("ecp-assoc-request"), on: 1)
        let vsis = lab.show("show virt vsi")
        #expect(vsis.contains { $0.hasPrefix("1     associated  4711v1") && $0.contains("52:54:00:8e:aa:13/100") }, "\(vsis)")
        let vm = lab.show("show virt vm")
        #expect(vm.contains { $0.hasPrefix("~0.0.0.0        52:54:00:8e:aa:13") && $0.contains(" 1        4097") }, "\(vm)")
        // VLAN 100 on port 1, tagged (the station tags the VSI's frames), with no frame from it yet.
        #expect(lab.membership(100).contains(1))
        #expect(lab.egressPorts(to: Self.vsi, vlan: 100) == [1])
        #expect(lab.show("show ecp").contains { $0.hasPrefix("1 ") }, "\(lab.show("show ecp"))")

        lab.sendRaw(LLDPadEVBFrames.frame("ecp-deassoc-request"), on: 1)
        #expect(lab.show("show virt vsi") == ["No VSI is associated"])
        #expect(!lab.membership(100).contains(1))
        #expect(lab.show("show logging").contains { $0.contains("vdp: VSI") && $0.hasSuffix("on port 1 de-associated") })
    }

    /// The hypervisor associates the VSI on another port (a migration): the VM moves there
    /// with its policy, and the old port's later timeout does not take it back.
    @Test func aVSIAssociatedOnAnotherPortMovesThere() throws {
        let lab = try Self.bench()
        try lab.run(["configure terminal", "interface port 2", "evb profile 1", "end"])
        for port in [1, 2] { lab.sendRaw(LLDPadEVBFrames.frame("lldp-station"), on: port) }
        lab.sendRaw(LLDPadEVBFrames.frame("ecp-assoc-request"), on: 1)
        #expect(lab.membership(100).contains(1))
        lab.sendRaw(LLDPadEVBFrames.frame("ecp-assoc-request"), on: 2)
        #expect(lab.show("show virt migrations").contains { $0.hasSuffix("52:54:00:8e:aa:13  100   1     2     VDP") },
                "\(lab.show("show virt migrations"))")
        #expect(lab.membership(100).contains(2) && !lab.membership(100).contains(1))
        #expect(lab.egressPorts(to: Self.vsi, vlan: 100) == [2])
        // Port 1's copy times out (no keep-alive there; the timeout is 16.7 s with lldpad's
        // values) while port 2's, a second younger, does not yet: port 2 keeps the policy.
        lab.clock.advance(seconds: 14.2)
        lab.sendRaw(LLDPadEVBFrames.frame("lldp-station"), on: 2)
        #expect(lab.show("show logging").contains { $0.hasSuffix("on port 1 timed out (no keep-alive)") })
        #expect(lab.membership(100).contains(2))
    }

    /// A type naming only a VM profile: the VSI gets the profile's VLAN and the profile itself.
    @Test func aTypesVMProfileAppliesToItsVSIs() throws {
        let lab = try VMreadyBench(setup: [
            "virt enable", "virt vmprofile web", "vlan 100", "exit", "virt evb profile 1", "vsi-discovery", "exit",
            "interface port 1", "evb profile 1", "exit", "virt evb vsitype 4711 version 1", "profile web", "exit",
        ])
        lab.sendRaw(LLDPadEVBFrames.frame("lldp-station"), on: 1)
        lab.sendRaw(LLDPadEVBFrames.frame("ecp-assoc-request"), on: 1)
        #expect(lab.show("show virt vm").contains { $0.hasPrefix("~0.0.0.0        52:54:00:8e:aa:13") && $0.hasSuffix("4097 (web)") },
                "\(lab.show("show virt vm"))")
        #expect(lab.membership(100).contains(1))
    }
}
