import Dataplane
import FrameTestSupport
import Frames
import Testing
import Virtualization

@Suite struct VMMigrationTests {
    let vm = MACAddress(rawValue: 0x0050_569c_00c8)
    let ip = IPv4Address(198, 18, 46, 25)

    /// A switch where the VM is known on port 1 with its IP.
    func switchWithVMOnPort1() throws -> VMSwitch {
        let sw = try VMSwitch()
        sw.send(.arp(operation: 1, senderMAC: vm, senderIP: ip, targetMAC: .zero,
                     targetIP: IPv4Address(198, 18, 46, 1)), on: 1)
        #expect(sw.vms.entry(mac: vm)?.port == 1)
        #expect(sw.egressPorts(to: vm) == [1])
        return sw
    }

    /// Checks one recorded move from port 1 to `port`, and that the VM is now there.
    func expectMoved(_ sw: VMSwitch, to port: Int, how: MoveAnnouncement,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let moves = sw.vms.migrations()
        #expect(moves.count == 1, sourceLocation: sourceLocation)
        #expect(moves.first?.mac == vm && moves.first?.vlan == 1, sourceLocation: sourceLocation)
        #expect(moves.first?.fromPort == 1 && moves.first?.toPort == port, sourceLocation: sourceLocation)
        #expect(moves.first?.how == how, sourceLocation: sourceLocation)
        let entry = sw.vms.entry(mac: vm)
        #expect(entry?.port == port && entry?.moves == moves, sourceLocation: sourceLocation)
        #expect(entry?.ip == ip && entry?.index == 0, sourceLocation: sourceLocation)
        #expect(sw.macTablePort(vm) == port, sourceLocation: sourceLocation)
        #expect(sw.egressPorts(to: vm) == [port], sourceLocation: sourceLocation)
    }

    @Test func vMotionsSingleRARP() throws {
        let sw = try switchWithVMOnPort1()
        sw.send(.migrationRARP(vm), on: 2)
        let announced = sw.clock.now()
        expectMoved(sw, to: 2, how: .rarp)
        #expect(sw.vms.migrations().first?.time == announced)
        #expect(MoveAnnouncement.rarp.label == "RARP")
    }

    @Test func qemusBurstOfFiveRARPsIsOneMove() throws {
        let sw = try switchWithVMOnPort1()
        for _ in 0..<5 { sw.send(.migrationRARP(vm), on: 3) }
        expectMoved(sw, to: 3, how: .rarp)
    }

    @Test func gratuitousARP() throws {
        let sw = try switchWithVMOnPort1()
        sw.send(.gratuitousARP(vm, ip: ip), on: 2)
        expectMoved(sw, to: 2, how: .garp)
    }

    @Test func silentSourceMove() throws {
        let sw = try switchWithVMOnPort1()
        sw.send(.udp(from: vm, to: station(5), sourceIP: ip, destinationIP: IPv4Address(198, 18, 0, 5)), on: 3)
        expectMoved(sw, to: 3, how: .sourceMove)
    }

    @Test func anOrdinaryARPRequestIsNoAnnouncement() throws {
        let sw = try switchWithVMOnPort1()
        sw.send(.arp(operation: 1, senderMAC: vm, senderIP: ip, targetMAC: .zero,
                     targetIP: IPv4Address(198, 18, 46, 1)), on: 2)
        expectMoved(sw, to: 2, how: .sourceMove)
    }

    @Test func aRARPForAnotherStationIsNoAnnouncementOfThisOne() throws {
        let sw = try switchWithVMOnPort1()
        // A RARP request asking about someone else (sender != target) moves the sender silently.
        sw.send(.arp(operation: 3, senderMAC: vm, senderIP: .zero, targetMAC: station(3), targetIP: .zero,
                     reverse: true), on: 2)
        expectMoved(sw, to: 2, how: .sourceMove)
    }

    @Test func movingBackAndForthRecordsEachMove() throws {
        let sw = try switchWithVMOnPort1()
        sw.send(.migrationRARP(vm), on: 2)
        sw.send(.gratuitousARP(vm, ip: ip), on: 1)
        sw.hello(vm, on: 4) // to a host behind the uplink: still our VM, still a move
        let moves = sw.vms.migrations()
        #expect(moves.map { [$0.fromPort, $0.toPort] } == [[1, 2], [2, 1], [1, 4]])
        #expect(moves.map(\.how) == [.rarp, .garp, .sourceMove])
        #expect(sw.vms.entry(mac: vm)?.lastMove == moves.last)
        #expect(sw.egressPorts(to: vm, from: 2) == [4])
    }

    @Test func migrationListIsBounded() throws {
        let sw = try VMSwitch(migrationLimit: 3)
        sw.hello(vm, on: 1)
        for port in [2, 3, 1, 2, 3] { sw.send(.migrationRARP(vm), on: port) }
        #expect(sw.vms.migrations().map(\.toPort) == [1, 2, 3])
        #expect(sw.vms.entry(mac: vm)?.moves.count == 5)
    }

    @Test func clearForgetsEverything() throws {
        let sw = try switchWithVMOnPort1()
        sw.send(.migrationRARP(vm), on: 2)
        sw.vms.clear()
        #expect(sw.vms.entries().isEmpty && sw.vms.migrations().isEmpty)
        sw.hello(mac(oui: 0x525400, 1), on: 3)
        #expect(sw.vms.entries().map(\.index) == [0])
    }
}
