import Console
import Dataplane
import Foundation
import Protocols
import Switch
import Testing

/// A switch that is let go takes its engine, control plane and their descriptors with it.
/// The engine used to be kept by cycles through closures handed to the parts it feeds
/// (the control plane's drain, the VM table's policy sink, LLDP's neighbour events): every
/// switch a test made kept its self-pipe open, until the runner had so many descriptors
/// that Foundation's `Process.run` read past glibc's directory buffer and crashed.
@Suite struct SwitchLifetimeTests {
    /// Configurations that reach the parts holding closures back to the switch.
    static let configurations: [[String]] = [
        [],
        ["configure terminal", "lldp enable", "interface port 1", "lldp admin-status tx_rx", "exit",
         "vlan 100", "exit", "virt enable", "virt vmprofile web", "vlan 100", "exit",
         "virt vmgroup 10", "profile web", "vm 00:50:56:9c:00:c8", "exit",
         "logging host 1 address 127.0.0.1 port 9", "logging buffered 500", "end"],
    ]

    @Test(arguments: [false, true], configurations)
    func aSwitchThatIsLetGoIsReleasedWithItsEngine(started: Bool, lines: [String]) throws {
        let state = FileManager.default.temporaryDirectory.appending(path: "vmready-lifetime-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        weak var released: VMreadySwitch?
        weak var engine: ForwardingEngine?
        weak var controlPlane: ControlPlane?
        do {
            let sw = try VMreadySwitch(SwitchOptions(portCount: 4, stateDirectory: state))
            released = sw
            engine = sw.dataplane
            controlPlane = sw.controlPlane
            if started { try sw.start() }
            let shell = try sw.shell(kind: .batch)
            for line in lines { #expect(shell.run(line).succeeded, "\(line)") }
            #expect(shell.run("write memory").succeeded)
            if started { sw.stop() }
        }
        // A background thread may still be finishing a step that holds one for a moment.
        let deadline = ContinuousClock.now + .seconds(5)
        while released != nil || engine != nil || controlPlane != nil, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(released == nil, "the switch is still referenced")
        #expect(engine == nil, "the forwarding engine outlived its switch")
        #expect(controlPlane == nil, "the control plane outlived its switch")
    }
}
