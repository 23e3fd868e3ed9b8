import Console
import Dataplane
import FrameTestSupport
import Frames
import Switch
import SwitchTypes

/// A whole switch (CLI, VM layer, dataplane) with four memory ports and a virtual clock:
/// ports 1-3 face hypervisors, port 4 is an uplink trunk. Frames are processed on the
/// calling thread (the forwarding thread is not started), and each `send` waits until the
/// VM layer has handled what the frame caused, so a `show` right after sees it.
final class VMreadyBench {
    let clock = VirtualClock(start: Timestamp(seconds: 1_763_700_000))
    let ports = (0...4).map { _ in MemoryPort() }
    let sw: VMreadySwitch
    let shell: Shell

    /// `consoleLogDescriptor`: where `logging console` writes (default the runner's stderr).
    init(setup: [String] = [], consoleLogDescriptor: Int32 = 2) throws {
        var options = SwitchOptions(portCount: 4)
        options.consoleLogDescriptor = consoleLogDescriptor
        for port in 1...4 { options.attachments[port] = .memory(ports[port]) }
        options.clock = clock
        sw = try VMreadySwitch(options)
        shell = try sw.shell(kind: .batch)
        try run(["configure terminal", "vlan 100", "exit", "interface port 4", "switchport mode trunk", "exit",
                 "system server-ports port 1-3"] + setup + ["end"])
    }

    /// Runs lines that must all succeed.
    func run(_ lines: [String]) throws {
        for line in lines {
            let outcome = shell.run(line)
            if let error = outcome.error { throw BenchError("\(line): \(error.message)") }
        }
    }

    /// A command's output (or its error message).
    func show(_ line: String) -> [String] {
        let outcome = shell.run(line)
        return outcome.error.map { [$0.message] } ?? outcome.output
    }

    func send(_ frame: FrameBuilder, on port: Int) {
        clock.advance(seconds: 1)
        let bytes = frame.bytes
        sw.dataplane.withPipeline { pipeline in
            bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: port) }
        }
        sw.settle()
    }

    /// Ports a known-unicast frame to `mac` from a station behind the uplink egresses on,
    /// tagged into `vlan` on the trunk.
    func egressPorts(to mac: MACAddress, vlan: UInt16) -> [Int] {
        _ = takeEgress()
        send(FrameBuilder(destination: mac, source: station(44), vlan: vlan), on: 4)
        return takeEgress().keys.sorted()
    }

    func membership(_ vlan: UInt16) -> Set<Int> { sw.dataplane.effectiveMembership(vlan: vlan).members }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// VM MACs of the tests.
enum VMs {
    static let web = MACAddress(0x00, 0x50, 0x56, 0x9c, 0x00, 0xc8)
    static let db = MACAddress(0x00, 0x50, 0x56, 0x9c, 0x21, 0x2f)
    static let console = MACAddress(0x00, 0x50, 0x56, 0x4e, 0x62, 0xf5)
    static let vmkernel = MACAddress(0x00, 0x50, 0x56, 0x72, 0xec, 0x86)
    static let kvm = MACAddress(0x52, 0x54, 0x00, 0x12, 0x34, 0x56)
    static let remote = MACAddress(0x00, 0x50, 0x56, 0xaa, 0xbb, 0xcc)
}

extension VMreadyBench {
    /// The frames each port forwarded since the last call, by port (ports that sent none left
    /// out). The switch's own LLDPDUs (LLDP runs on every port, and each `send` moves the
    /// clock a second) are not forwarding: they are left out.
    func takeEgress() -> [Int: [[UInt8]]] {
        var sent: [Int: [[UInt8]]] = [:]
        for port in 1...4 {
            let frames = ports[port].takeEgress().filter { !($0.count > 14 && $0[12] == 0x88 && $0[13] == 0xcc) }
            if !frames.isEmpty { sent[port] = frames }
        }
        return sent
    }
}
