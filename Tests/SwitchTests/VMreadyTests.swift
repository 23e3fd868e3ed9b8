import Dataplane
import FrameTestSupport
import Frames
import Switch
import Testing

/// VMready end to end: frames into the switch's ports, the CLI's view and the forwarding
/// that results (switching.md, "VM detection" to "Validation").
@Suite struct VMreadyTests {
    @Test func detectsVMsOnServerPortsOnly() throws {
        let lab = try VMreadyBench(setup: ["virt enable"])
        lab.send(.arp(operation: 1, senderMAC: VMs.web, senderIP: IPv4Address(198, 18, 46, 25),
                      targetMAC: .zero, targetIP: IPv4Address(198, 18, 46, 1)), on: 2)
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.console), on: 1)
        lab.send(.gratuitousARP(VMs.vmkernel, ip: IPv4Address(198, 18, 46, 51)), on: 1)
        lab.send(.udp(from: VMs.kvm, to: station(9), sourceIP: IPv4Address(198, 18, 46, 60),
                      destinationIP: IPv4Address(198, 18, 46, 1)), on: 3)
        lab.send(FrameBuilder(destination: .broadcast, source: station(7)), on: 2)   // not a VM OUI
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.remote), on: 4)   // behind the uplink
        #expect(lab.show("show virt vm") == [
            "IP Address      VMAC Address       Index Port     VM Group (Profile)",
            "--------------- ----------------- ----- -------- ------------------",
            "*0.0.0.0        00:50:56:4e:62:f5  1     1",
            "+198.18.46.51   00:50:56:72:ec:86  2     1",
            "198.18.46.25    00:50:56:9c:00:c8  0     2",
            "198.18.46.60    52:54:00:12:34:56  3     3",
            "Number of entries: 4",
            "* indicates VMware ESX Service Console Interface",
            "0.0.0.0 indicates IP address not yet available",
            "+ indicates VMware ESX/ESXi VMKernel or Management Interface",
        ])
        let verbose = lab.show("show virt vm -v")
        #expect(verbose.contains { $0.contains("QEMU/KVM, VLAN 1, live, first seen") && $0.contains("never moved") })
    }

    @Test func nothingIsDetectedWhileVMreadyIsOff() throws {
        let lab = try VMreadyBench()
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)
        #expect(lab.show("show virt vm").first == "VMready is disabled (virt enable)")
        #expect(lab.show("show virt vm").contains("Number of entries: 0"))
    }

    @Test func editedOUITableDecidesWhatIsAVM() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "no virt oui 00:50:56", "virt oui 02:00:00 \"Lab hypervisor\""])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)
        lab.send(FrameBuilder(destination: .broadcast, source: station(5)), on: 1)
        let rows = lab.show("show virt vm")
        #expect(!rows.contains { $0.contains("00:50:56:9c:00:c8") })
        #expect(rows.contains { $0.contains(station(5).description) })
        #expect(lab.show("show virt oui").contains("02:00:00  Lab hypervisor"))
    }

    @Test func pendingMemberBecomesLiveAndGetsTheGroupVLAN() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 10", "vlan 100", "vm 00:50:56:9c:00:c8", "exit"])
        #expect(lab.show("show virt vm")[2] == "0.0.0.0         00:50:56:9c:00:c8                 10")
        #expect(lab.show("show virt vmgroup 10").contains("    vm 00:50:56:9c:00:c8  pending"))
        #expect(lab.membership(100) == [4])

        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 2)
        #expect(lab.show("show virt vm")[2] == "0.0.0.0         00:50:56:9c:00:c8  0     2        10")
        #expect(lab.membership(100) == [2, 4])
        // The VM's untagged frames are switched in VLAN 100, and frames to it leave on port 2 only.
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 2)
        #expect(lab.sw.dataplane.macEntries().contains { $0.mac == VMs.web && $0.vlan == 100 && $0.port == 2 })
        #expect(lab.egressPorts(to: VMs.web, vlan: 100) == [2])
        // Members named by index resolve as VMs are detected.
        try lab.run(["configure terminal", "virt vmgroup 11 vm 1", "virt vmgroup 11 vlan 100", "end"])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.db), on: 3)
        #expect(lab.show("show virt vm").contains { $0.hasPrefix("0.0.0.0         00:50:56:9c:21:2f  1     3        11") })
        #expect(lab.membership(100) == [2, 3, 4])
    }

    enum Announcement: String, CaseIterable { case vMotionRARP, qemuRARPBurst, garp, silent }

    @Test(arguments: Announcement.allCases)
    func migrationMovesTheGroupsConfiguration(_ how: Announcement) throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmprofile web", "vlan 100", "exit",
                                           "virt vmgroup 10", "profile web", "vm 00:50:56:9c:00:c8", "exit"])
        lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 25)), on: 1)
        #expect(lab.membership(100) == [1, 4])
        #expect(lab.egressPorts(to: VMs.web, vlan: 100) == [1])

        switch how {
        case .vMotionRARP: lab.send(.migrationRARP(VMs.web), on: 2)
        case .qemuRARPBurst: for _ in 0..<5 { lab.send(.migrationRARP(VMs.web), on: 2) }
        case .garp: lab.send(.gratuitousARP(VMs.web, ip: IPv4Address(198, 18, 46, 25)), on: 2)
        case .silent: lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 2)
        }
        #expect(lab.membership(100) == [2, 4], "VLAN 100 follows the VM to port 2 and leaves port 1")
        #expect(lab.sw.dataplane.macEntries().filter { $0.mac == VMs.web }.map(\.port) == [2])
        #expect(lab.egressPorts(to: VMs.web, vlan: 100) == [2])
        #expect(lab.show("show virt vm")[2] == "198.18.46.25    00:50:56:9c:00:c8  0     2        10 (web)")
        let label = ["vMotionRARP": "RARP", "qemuRARPBurst": "RARP", "garp": "GARP", "silent": "source move"][how.rawValue] ?? ""
        let migrations = lab.show("show virt migrations")
        #expect(migrations.filter { $0.contains("00:50:56:9c:00:c8") }.count == 1, "one move, however many announcements")
        #expect(migrations.contains { $0.hasSuffix("  100   1     2     " + label) })
        #expect(lab.show("show logging").contains { $0.contains("VM 00:50:56:9c:00:c8 moved from port 1 to port 2 (\(label))") })
    }

    @Test func theLastMemberLeavingAPortTakesTheVLANWithIt() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 10", "vlan 100", "vm 00:50:56:9c:00:c8",
                                           "vm 00:50:56:9c:21:2f", "exit"])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.db), on: 1)
        lab.send(.migrationRARP(VMs.web), on: 2)
        #expect(lab.membership(100) == [1, 2, 4], "db is still on port 1")
        lab.send(.migrationRARP(VMs.db), on: 3)
        #expect(lab.membership(100) == [2, 3, 4])
    }

    @Test func unannouncedMoveIsLoggedAndWithLinkErrDisablesThePort() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 10", "vlan 100", "validate basic",
                                           "vm 00:50:56:9c:00:c8", "exit"])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)
        // Announced: a migration, not a suspect.
        lab.send(.migrationRARP(VMs.web), on: 2)
        #expect(!lab.show("show logging").contains { $0.contains("suspected spoof") })
        // Unannounced, action log: logged, the port stays up.
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 3)
        #expect(lab.show("show logging").contains {
            $0.contains("suspected spoof: VM 00:50:56:9c:00:c8 appeared on port 3 without announcement (was on port 2)")
        })
        #expect(lab.show("show interface port 3")[2].hasPrefix("3     up"))

        try lab.run(["configure terminal", "virt vmcheck action basic link", "end"])
        lab.clock.advance(seconds: 30)
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)
        #expect(lab.show("show interface port 1")[2].hasPrefix("1     err-disabled"))
        #expect(lab.show("show logging").contains { $0.contains("port 1 err-disabled (vmcheck action basic link)") })
        #expect(lab.show("show virt port 1")[2].contains("err-disabled"))
        // The port is shut: what arrives there is dropped.
        let before = lab.sw.dataplane.counters()[0].drops[.portDown, default: 0]
        lab.send(FrameBuilder(destination: .broadcast, source: station(3)), on: 1)
        #expect(lab.sw.dataplane.counters()[0].drops[.portDown, default: 0] == before + 1)
        // shutdown, then no shutdown, recovers it; the running-config never shows err-disabled.
        #expect(!lab.show("show running-config").contains { $0.contains("shutdown") })
        try lab.run(["configure terminal", "interface port 1", "shutdown", "no shutdown", "end"])
        #expect(lab.show("show interface port 1")[2].hasPrefix("1     up"))
    }

    @Test func trustedPortsAreExempt() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmcheck trust 3", "virt vmcheck action basic link",
                                           "virt vmgroup 10", "validate basic", "vm 00:50:56:9c:00:c8", "exit"])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 3)
        #expect(!lab.show("show logging").contains { $0.contains("suspected spoof") })
        #expect(lab.show("show interface port 3")[2].hasPrefix("3     up"))
    }

    @Test func flappingIsASuspectEvenWhenAnnounced() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 10", "validate basic", "vm 00:50:56:9c:00:c8", "exit"])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)
        for port in [2, 1, 2] { lab.send(.migrationRARP(VMs.web), on: port) }
        #expect(lab.show("show logging").contains {
            $0.contains("suspected spoof: VM 00:50:56:9c:00:c8 flapping between ports 1 and 2")
        })
    }

    @Test func completionOffersVMsGroupsAndProfiles() throws {
        let lab = try VMreadyBench(setup: ["virt enable", "virt vmgroup 10", "exit", "virt vmgroup 12", "exit",
                                           "virt vmprofile web", "exit"])
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.web), on: 1)
        lab.send(FrameBuilder(destination: .broadcast, source: VMs.db), on: 2)
        #expect(lab.shell.complete("show virt vmgroup ").candidates == ["10", "12"])
        #expect(lab.shell.complete("show virt vmprofile ").candidates == ["web"])
        let vm = lab.shell.complete("show virt vm").candidates
        #expect(vm.contains("vm") && vm.contains("vmgroup"))
        let members = lab.shell.complete("configure terminal").candidates
        _ = members
        _ = lab.shell.run("configure terminal")
        let named = lab.shell.complete("virt vmgroup 10 vm 00:50:56:9c").candidates
        #expect(named == ["00:50:56:9c:00:c8", "00:50:56:9c:21:2f"])
        #expect(lab.shell.complete("virt vmpolicy vmbwidth ").candidates.contains("1"))
    }

    @Test func refusalsChangeNothing() throws {
        let lab = try VMreadyBench(setup: ["virt vmprofile web", "vlan 100", "exit", "virt vmgroup 10", "profile web",
                                           "vm 5", "exit", "access-control list 3 action deny",
                                           "virt vmprofile edit web access-control 3"])
        let before = lab.show("show running-config")
        try lab.run(["configure terminal"])
        for (line, error) in [
            ("virt vmgroup 10 vlan 100", "% VM group 10 takes its VLAN from profile web; remove one of the two first"),
            ("virt vmgroup 11 vm 5", "% VM 5 is already a member of VM group 10"),
            ("no virt vmprofile web", "% VM profile web is used by VM group 10"),
            ("no vlan 100", "% VLAN 100 is used by VM profile web"),
            ("no access-control list 3", "% ACL 3 is used by VM profile web"),
            ("virt vmgroup 12 profile gold", "% VM profile gold does not exist"),
            ("virt vmgroup 12 vlan 300", "% VLAN 300 does not exist"),
            ("virt vmprofile edit web access-control 9", "% ACL 9 is not defined"),
            ("virt vmprofile edit web shaping 2048 64 1024", "% Peak rate 1024 must be at least the average rate 2048"),
            ("virt vmpolicy vmbwidth 3 txrate 100 32", "% Rate 100 is not a multiple of 64 kbit/s"),
            ("system server-ports port 9", "% Port 9 does not exist (ports are 1-4)"),
            ("no virt vmgroup 99", "% VM group 99 does not exist"),
        ] {
            #expect(lab.shell.run(line).error?.message == error, "\(line)")
        }
        try lab.run(["end"])
        #expect(lab.show("show running-config") == before)
    }
}
