import Console
import Dataplane
import Frames
import Switch

/// cli.show_virt_vm_4096_ms: `show virt vm` with 4096 VMs detected on 40 server ports, in
/// 64 groups (each VM a member by MAC) — the whole command, through a batch shell, from
/// the VM table and the group resolution to the printed lines.
func runVirtBenchmarks() throws {
    let sw = try VMreadySwitch(portCount: 48)
    let shell = try sw.shell(kind: .batch)
    var lines = ["configure terminal", "system server-ports port 1-40", "virt enable"]
    for group in 1...64 { lines += ["vlan \(100 + group)", "exit"] }
    func mac(_ index: Int) -> MACAddress { MACAddress(rawValue: 0x0050_5600_0000 | UInt64(index + 1)) }
    for index in 0..<4096 {
        let group = 1 + index % 64
        if index < 64 { lines += ["virt vmgroup \(group)", "vlan \(100 + group)"] } else { lines.append("virt vmgroup \(group)") }
        lines += ["vm \(mac(index))", "exit"]
    }
    for line in lines where shell.run(line).error != nil { print("bench setup failed: \(line)") }
    _ = shell.run("end")
    // Every VM says hello on its port, as after a boot.
    var frame = [UInt8](repeating: 0, count: 64)
    for index in 0..<4096 {
        MACAddress.broadcast.octets.enumerated().forEach { frame[$0.offset] = $0.element }
        mac(index).octets.enumerated().forEach { frame[6 + $0.offset] = $0.element }
        frame[12] = 0x08
        frame[13] = 0x00
        let bytes = frame
        let port = 1 + index % 40
        sw.dataplane.withPipeline { pipeline in bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: port) } }
    }
    sw.settle()
    var durations: [UInt64] = []
    var rows = 0
    for _ in 0..<20 {
        let t0 = now()
        rows = shell.run("show virt vm").output.count
        durations.append(now() - t0)
    }
    durations.sort()
    report("cli.show_virt_vm_4096_ms", Double(durations[durations.count / 2]) / 1e6, "ms")
    if rows != 4096 + 6 { print("cli.show_virt_vm_4096_ms: expected 4096 rows, printed \(rows - 6)") }
}
