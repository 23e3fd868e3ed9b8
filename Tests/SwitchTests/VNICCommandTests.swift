import Console
import Dataplane
@testable import Switch
import SwitchTypes
import Testing

/// The vNIC commands' rules, on the configuration they leave: what the bridge receives for
/// each command, and what the transcript cannot show (the model, not its rendering).
@Suite struct VNICCommandTests {
    /// A switch after `lines` (in config), each expected to succeed or, when listed in
    /// `failing`, to fail.
    static func configured(_ lines: [String], failing: Set<String> = []) throws -> VMreadySwitch {
        let sw = try VMreadySwitch()
        let shell = try sw.shell(kind: .batch)
        #expect(shell.run("configure terminal").succeeded)
        for line in lines {
            let outcome = shell.run(line)
            #expect(outcome.succeeded == !failing.contains(line), "\(line): \(outcome.error?.message ?? "")")
        }
        return sw
    }

    @Test func commandsBuildTheBridgeConfiguration() throws {
        let sw = try Self.configured([
            "vlan 20", "exit", "vnic enable", "interface port 1", "speed 40000", "exit",
            "vnic port 1 index 2", "bandwidth 30", "enable", "exit",
            "vnic port 2 index 1", "enable", "exit",
            "vnic port 3 io-extender upstream 5", "vnic port 4 cdcp",
            "vnic vnicgroup 7", "port 6", "vlan 20", "member 2.1", "enable", "exit",
        ])
        let s = sw.state.withLock { $0 }
        #expect(s.bridge.vnicEnabled)
        #expect(s.bridge[port: 1].speed == 40000)
        var vnic = VNICConfiguration(index: 2)
        vnic.bandwidthPercent = 30
        vnic.isEnabled = true
        #expect(s.bridge.vnicPorts[1]?.vnics == [2: vnic])
        #expect(s.bridge.vnicPorts[3]?.mode == .ioExtender(upstream: 5))
        #expect(s.bridge.vnicPorts[3]?.vnics.isEmpty == true)
        #expect(s.vnicCDCPPorts == [4])
        var group = VNICGroup()
        group.vlan = 20
        group.uplink = 6
        group.members = [BridgePort(port: 2, vnic: 1)]
        group.isEnabled = true
        #expect(s.bridge.vnicGroups == [7: group])
        // What the engine runs is what was configured: the bridge numbers the vNICs.
        #expect(s.published?.bridgePortNumber(of: BridgePort(port: 1, vnic: 2)) == 9)
    }

    /// Undoing every setting leaves the configuration a fresh switch has: no empty vNIC port
    /// entry stays behind to make a replayed configuration differ from its original.
    @Test func undoingEverythingLeavesTheDefaults() throws {
        let sw = try Self.configured([
            "vnic enable", "vnic port 3 io-extender upstream 5", "vnic port 3 index 1", "exit", "vnic port 4 cdcp",
            "vnic vnicgroup 2", "member 3.1", "exit", "interface port 2", "speed 100", "no speed", "exit",
            "no vnic port 3 index 1", "no vnic port 3 mode", "no vnic port 4 cdcp", "no vnic vnicgroup 2", "no vnic enable",
        ], failing: ["member 3.1"])
        let fresh = try VMreadySwitch()
        #expect(sw.state.withLock { $0.configured } == fresh.state.withLock { $0.configured })
    }

    @Test func ioExtenderModeNeedsAnUpstreamAndKeepsIt() throws {
        let sw = try Self.configured(["vnic port 3 mode io-extender"], failing: ["vnic port 3 mode io-extender"])
        #expect(sw.state.withLock { $0.bridge.vnicPorts[3] } == nil)
        let shell = try sw.shell(kind: .batch)
        #expect(shell.run("configure terminal").succeeded)
        #expect(shell.run("vnic port 3 io-extender upstream 5").succeeded)
        // Already an io-extender port: the mode keeps the upstream the command set.
        #expect(shell.run("vnic port 3 mode io-extender").succeeded)
        #expect(sw.state.withLock { $0.bridge.vnicPorts[3]?.mode } == .ioExtender(upstream: 5))
        #expect(shell.run("vnic port 3 mode switch").succeeded)
        #expect(sw.state.withLock { $0.bridge.vnicPorts[3] } == nil)
    }

    /// What names a VLAN or a vNIC keeps it: a group's VLAN cannot be deleted, nor a member vNIC.
    @Test func deletionsRefusedWhileNamed() throws {
        let sw = try Self.configured([
            "vlan 20", "exit", "vnic port 2 index 1", "exit", "vnic vnicgroup 1", "vlan 20", "member 2.1", "exit",
            "no vlan 20", "no vnic port 2 index 1",
        ], failing: ["no vlan 20", "no vnic port 2 index 1"])
        let s = sw.state.withLock { $0 }
        #expect(s.bridge.vlans.contains(20))
        #expect(s.bridge.vnicPorts[2]?.vnics[1] != nil)
    }

    /// A deleted VLAN leaves no vNIC switchport in it (the configuration never names a VLAN
    /// that does not exist), as it leaves no port in it.
    @Test func deletingAVLANMovesVNICSwitchportsToVLAN1() throws {
        let sw = try Self.configured(["vlan 30", "exit", "vnic port 1 index 1", "exit"])
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            s.bridge.vnicPorts[1]!.vnics[1]!.switchport.accessVLAN = 30
            s.bridge.vnicPorts[1]!.vnics[1]!.switchport.nativeVLAN = 30
        }
        try sw.configure { (s: inout SwitchState) throws(CommandFailure) in try s.deleteVLAN(30) }
        let switchport = try #require(sw.state.withLock { $0.bridge.vnicPorts[1]?.vnics[1]?.switchport })
        #expect(switchport.accessVLAN == 1 && switchport.nativeVLAN == 1)
    }

    @Test func bandwidthInMbitPerSecond() {
        #expect(VNICReport.mbits(10000, 25) == "2500")
        #expect(VNICReport.mbits(1, 25) == "0.25")
        #expect(VNICReport.mbits(3, 3) == "0.09")
        #expect(VNICReport.mbits(1_000_000, 100) == "1000000")
    }
}
