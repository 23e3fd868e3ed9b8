import Console
import Dataplane
import FrameTestSupport
import Frames
@testable import Switch
import SwitchTypes
import Testing
import VMManager

/// The switch's side of the VM managers, fed the reports a libvirt connection delivers
/// (the connections themselves run against real libvirtd in LabTests): names, verdicts and
/// their actions, pre-provisioning ahead of the first frame. Port 1 is hv1's, port 2 hv2's.
@Suite struct VMManagerSwitchTests {
    static let web = MACAddress(0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11)
    static let db = MACAddress(0x52, 0x54, 0x00, 0x8e, 0xaa, 0x22)
    static let webUUID = "a1412857-60f7-4ce1-e95a-2164943f53aa"

    static func domain(_ name: String, _ mac: MACAddress, _ state: DomainState, uuid: String = webUUID) -> DomainRecord {
        DomainRecord(uuid: uuid, name: name, state: state, macs: [mac])
    }

    /// Two hosts bound to ports 1 and 2, group 1 (VLAN 100) naming `web01`, validated advanced.
    static func bench(action: String = "log") throws -> VMreadyBench {
        let lab = try VMreadyBench(setup: [
            "virt enable", "virt vmgroup 1 vlan 100", "virt vmgroup 1 vm web01", "virt vmgroup 1 validate advanced",
            "virt vmmanager host hv1 uri \"test+unix:///default?socket=/run/hv1/libvirt-sock\"", "virt vmmanager host hv1 port 1",
            "virt vmmanager host hv2 uri \"test+unix:///default?socket=/run/hv2/libvirt-sock\"", "virt vmmanager host hv2 port 2",
            "virt vmcheck action advanced \(action)",
        ])
        lab.report(.connected(host: "hv1", hostname: "hv1.lab", domains: [domain("web01", web, .running)]))
        lab.report(.connected(host: "hv2", hostname: "hv2.lab", domains: []))
        return lab
    }

    @Test func aNamedMemberTakesItsGroupAndIsVerifiedOnItsHostsPort() throws {
        let lab = try Self.bench()
        lab.send(.gratuitousARP(Self.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        let table = lab.show("show virt vm -v")
        #expect(table.contains { $0.hasPrefix("198.18.46.11    52:54:00:8e:aa:11") && $0.hasSuffix(" 1        1") }, "\(table)")
        #expect(table.contains("                VM manager: web01, UUID \(Self.webUUID), on hv1 (running), verified (hv1 runs it)"))
        // The group's VLAN: a frame to it from the uplink reaches port 1 only.
        #expect(lab.egressPorts(to: Self.web, vlan: 100) == [1])
        #expect(lab.show("show virt vmcheck").contains { $0.hasPrefix("52:54:00:8e:aa:11  1     verified") })
    }

    @Test func aSpoofUnderTheACLActionIsBlockedOnItsPortOnly() throws {
        let lab = try Self.bench(action: "acl")
        lab.send(.gratuitousARP(Self.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        // The same MAC from hv2's port, which does not run it.
        lab.send(FrameBuilder(destination: .broadcast, source: Self.web), on: 2)
        lab.sw.vmManager.drain()
        let check = lab.show("show virt vmcheck")
        #expect(check.contains("Blocked: 52:54:00:8e:aa:11 on port 2 (switch ACL 257)"), "\(check)")
        #expect(lab.show("show logging").contains { $0.hasSuffix("VM 52:54:00:8e:aa:11 blocked on port 2 (vmcheck action advanced acl)") })
        // The spoofer's next frame is dropped on port 2...
        lab.send(FrameBuilder(destination: .broadcast, source: Self.web), on: 2)
        #expect(lab.show("show interface counters port 2").contains { $0.hasPrefix("Port 2: acl-deny 1") })
        // ...and the real VM on port 1 is untouched: its frames go out, and frames to it come back to port 1.
        _ = lab.takeEgress()
        lab.send(FrameBuilder(destination: .broadcast, source: Self.web), on: 1)
        #expect(lab.takeEgress().keys.sorted() == [4])
        #expect(lab.egressPorts(to: Self.web, vlan: 100) == [1])
        #expect(lab.sw.state.withLock { $0.errDisabled.isEmpty })
    }

    @Test func aSpoofUnderTheLinkActionErrDisablesThePort() throws {
        let lab = try Self.bench(action: "link")
        lab.send(.gratuitousARP(Self.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        lab.send(FrameBuilder(destination: .broadcast, source: Self.web), on: 2)
        lab.sw.vmManager.drain()
        #expect(lab.show("show interface port 2").contains { $0.hasPrefix("2     err-disabled") })
        #expect(lab.sw.state.withLock { $0.vmcheckBlocks.isEmpty })
    }

    /// A stale inventory (its host down) never blocks or err-disables.
    @Test func aStaleInventoryNeverActs() throws {
        let lab = try Self.bench(action: "link")
        lab.send(.gratuitousARP(Self.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        lab.report(.disconnected(host: "hv2", reason: "Cannot recv data: Connection reset by peer", retryInSeconds: 1))
        lab.send(FrameBuilder(destination: .broadcast, source: Self.web), on: 2)
        lab.sw.vmManager.drain()
        #expect(lab.show("show virt vmcheck").contains { $0.hasPrefix("52:54:00:8e:aa:11  2     stale") })
        #expect(lab.sw.state.withLock { $0.errDisabled.isEmpty })
        let connections = lab.show("show virt vmmanager")
        #expect(connections.contains { $0.hasPrefix("hv2: down since ") && $0.contains(", behind port 2") }, "\(connections)")
        #expect(connections.contains("    error: Cannot recv data: Connection reset by peer; retry in 1 s"))
    }

    /// A MAC no VM manager knows, behind a managed host: logged as unverified, not blocked.
    @Test func anUnknownMACIsUnverified() throws {
        let lab = try Self.bench(action: "acl")
        try lab.run(["configure terminal", "virt vmgroup 1 vm \(Self.db)", "end"])
        lab.send(FrameBuilder(destination: .broadcast, source: Self.db), on: 2)
        lab.sw.vmManager.drain()
        #expect(lab.show("show virt vmcheck").contains { $0.hasPrefix("52:54:00:8e:aa:22  2     unverified") })
        #expect(lab.show("show logging").contains { $0.hasSuffix("VM 52:54:00:8e:aa:22 on port 2 is unknown to the VM managers (unverified)") })
        #expect(lab.sw.state.withLock { $0.vmcheckBlocks.isEmpty })
    }

    /// Saved on hv1, restored on hv2: the group's VLAN is on hv2's port before the VM's
    /// first frame there, and frames to it already go there.
    @Test func aRestoreElsewhereMovesThePolicyAheadOfTheFirstFrame() throws {
        let lab = try Self.bench(action: "acl")
        lab.send(.gratuitousARP(Self.web, ip: IPv4Address(198, 18, 46, 11)), on: 1)
        #expect(lab.membership(100).contains(1) && !lab.membership(100).contains(2))
        lab.report(.domain(host: "hv1", lifecycle: .stopped(.saved), domain: Self.domain("web01", Self.web, .shutOff)))
        #expect(!lab.membership(100).contains(1))
        lab.report(.domain(host: "hv2", lifecycle: .started(.restored), domain: Self.domain("web01", Self.web, .running)))
        #expect(lab.membership(100).contains(2))
        #expect(lab.egressPorts(to: Self.web, vlan: 100) == [2])
        let migrations = lab.show("show virt migrations")
        #expect(migrations.contains { $0.hasSuffix("52:54:00:8e:aa:11  100   1     2     VM manager") }, "\(migrations)")
        // Its first frame there: no move, no suspicion, in its group's VLAN on the uplink.
        _ = lab.takeEgress()
        lab.send(FrameBuilder(destination: .broadcast, source: Self.web), on: 2)
        #expect(lab.takeEgress()[4] == [FrameBuilder(destination: .broadcast, source: Self.web, vlan: 100).bytes])
        lab.sw.vmManager.drain()
        #expect(lab.show("show virt vmcheck").contains { $0.hasPrefix("52:54:00:8e:aa:11  2     verified") })
        #expect(lab.sw.state.withLock { $0.vmcheckBlocks.isEmpty })
    }
}

extension VMreadyBench {
    /// One report from a VM manager connection, handled before the next step.
    func report(_ event: VMManagerEvent) {
        sw.vmManager.drain()
        sw.vmManager.deliver(event)
        sw.vmManager.drain()
    }
}
