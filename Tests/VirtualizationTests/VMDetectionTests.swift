import Dataplane
import FrameTestSupport
import Frames
import Testing
import Virtualization

@Suite struct VMDetectionTests {
    @Test(arguments: OUITable.defaultEntries.map(\.oui))
    func eachVendorsOUIIsDetected(oui: UInt32) throws {
        let sw = try VMSwitch()
        let vm = mac(oui: oui, 0x9c00c8)
        sw.hello(vm, on: 2)
        let entry = try #require(sw.vms.entries().first)
        #expect(sw.vms.count == 1)
        #expect(entry.mac == vm && entry.port == 2 && entry.vlan == 1 && entry.index == 0)
        #expect(entry.vendor == OUITable.defaults.vendor(forOUI: oui))
        #expect(entry.kind == .vm && entry.ip == .zero && entry.moves.isEmpty)
        #expect(entry.firstSeen == sw.clock.now())
    }

    @Test func serviceConsoleAndVMkernelRanges() throws {
        let cases: [(String, VMKind)] = [
            ("00:50:56:3f:ff:ff", .vm), ("00:50:56:40:00:00", .serviceConsole),
            ("00:50:56:4e:62:f5", .serviceConsole), ("00:50:56:6f:ff:ff", .serviceConsole),
            ("00:50:56:70:00:00", .vmkernel), ("00:50:56:72:ec:86", .vmkernel),
            ("00:50:56:7f:ff:ff", .vmkernel), ("00:50:56:80:00:00", .vm),
            ("00:0c:29:50:00:00", .vm), // the ranges are VMware's 00:50:56 only
        ]
        let sw = try VMSwitch()
        for (text, kind) in cases {
            let vm = try #require(MACAddress(text))
            #expect(VMKind(mac: vm) == kind, "\(text)")
            sw.hello(vm, on: 1)
            #expect(sw.vms.entry(mac: vm)?.kind == kind, "\(text)")
        }
        #expect(VMKind.serviceConsole.marker == "*" && VMKind.vmkernel.marker == "+" && VMKind.vm.marker == "")
    }

    @Test func learnsTheIPFromAnARP() throws {
        let sw = try VMSwitch()
        let vm = try #require(MACAddress("00:50:56:9c:00:c8"))
        let ip = try #require(IPv4Address("198.18.46.25"))
        sw.send(.arp(operation: 1, senderMAC: vm, senderIP: ip, targetMAC: .zero,
                     targetIP: try #require(IPv4Address("198.18.46.1"))), on: 1)
        #expect(sw.vms.entry(mac: vm)?.ip == ip)
    }

    @Test func learnsTheIPFromAnIPv4Frame() throws {
        let sw = try VMSwitch()
        let vm = try #require(MACAddress("52:54:00:12:34:56"))
        let ip = try #require(IPv4Address("198.18.46.50"))
        sw.send(.udp(from: vm, to: station(7), sourceIP: ip, destinationIP: IPv4Address(198, 18, 0, 1)), on: 3)
        #expect(sw.vms.entry(mac: vm)?.ip == ip)
    }

    @Test func unspecifiedAddressesAreNotLearned() throws {
        let sw = try VMSwitch()
        let vm = try #require(MACAddress("00:16:3e:00:00:01"))
        // A DHCP discover comes from 0.0.0.0; the IP stays unknown.
        sw.send(.udp(from: vm, to: .broadcast, sourceIP: .zero, destinationIP: IPv4Address(255, 255, 255, 255),
                     sourcePort: 68, destinationPort: 67), on: 1)
        #expect(sw.vms.entry(mac: vm)?.ip == .zero)
    }

    @Test func nonVMMACsAreNotListed() throws {
        let sw = try VMSwitch()
        sw.hello(station(1), on: 1)
        sw.send(.udp(from: station(2), to: station(1), sourceIP: IPv4Address(198, 18, 0, 2),
                     destinationIP: IPv4Address(198, 18, 0, 1)), on: 2)
        #expect(sw.pipeline.macTable.count == 2)
        #expect(sw.vms.entries().isEmpty)
    }

    @Test func vmsSeenOnlyOnNonServerPortsAreNotListed() throws {
        let sw = try VMSwitch()
        let remote = try #require(MACAddress("00:50:56:9c:21:2f"))
        sw.hello(remote, on: 4)
        #expect(sw.macTablePort(remote) == 4)
        #expect(sw.vms.entries().isEmpty)
        // Once it shows up behind a server port, it is one of ours.
        sw.hello(remote, on: 1)
        #expect(sw.vms.entries().map(\.port) == [1])
    }

    @Test func indexesFollowFirstDetectionAndStayStable() throws {
        let sw = try VMSwitch()
        let order = ["00:50:56:9c:21:2f", "00:50:56:72:ec:86", "00:0c:29:00:00:01", "00:50:56:4e:62:f5"]
        let macs = try order.map { try #require(MACAddress($0)) }
        for (number, vm) in macs.enumerated() { sw.hello(vm, on: 1 + number % 3) }
        // Seen again, moved, or with a new IP: indexes do not change.
        sw.hello(macs[0], on: 1)
        sw.send(.migrationRARP(macs[1]), on: 3)
        sw.send(.gratuitousARP(macs[2], ip: IPv4Address(198, 18, 46, 9)), on: 3)
        let entries = sw.vms.entries()
        #expect(entries.map(\.mac) == macs.sorted())
        #expect(entries.map(\.index) == macs.sorted().map { macs.firstIndex(of: $0) ?? -1 })
        #expect(sw.vms.entry(index: 1)?.mac == macs[1])
        #expect(sw.vms.entry(index: 4) == nil)
    }

    @Test func editedOUITableChangesDetection() throws {
        var table = OUITable.defaults
        table.set(0x0a0b0c, vendor: "Lab hypervisor")
        let sw = try VMSwitch(ouiTable: table)
        sw.hello(mac(oui: 0x0a0b0c, 1), on: 1)
        sw.hello(mac(oui: 0x005056, 0x9c0001), on: 1)
        #expect(sw.vms.entries().map(\.vendor) == ["VMware", "Lab hypervisor"])
        // Dropping an OUI forgets its VMs and stops detecting them.
        table.remove(0x005056)
        try sw.vms.configure(ouiTable: table, serverPorts: [1, 2, 3])
        sw.hello(mac(oui: 0x005056, 0x9c0002), on: 2)
        #expect(sw.vms.entries().map(\.vendor) == ["Lab hypervisor"])
    }

    @Test func serverPortsCanChange() throws {
        let sw = try VMSwitch(serverPorts: [1])
        let vm = mac(oui: 0x00155d, 1)
        sw.hello(vm, on: 2)
        #expect(sw.vms.count == 0)
        try sw.vms.configure(serverPorts: [1, 2])
        #expect(sw.vms.serverPorts == [1, 2])
        // Only learning events are seen: the station must be new or move to be detected.
        sw.hello(mac(oui: 0x00155d, 2), on: 2)
        #expect(sw.vms.entries().map(\.mac) == [mac(oui: 0x00155d, 2)])
    }
}
