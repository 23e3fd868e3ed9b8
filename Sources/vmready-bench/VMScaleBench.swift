import Dataplane
import Foundation
import Frames
import Switch
import SwitchTypes

/// The VM layer at data-centre scale, through the whole switch as an operator runs it:
/// a startup-config with 64 groups and N members by MAC replayed as at boot
/// (`vm.config_100k_members_boot_ms`), then a capture in which N new VMware-OUI VMs each
/// send one ARP on a server port, replayed as `--attach 1=file:...` does
/// (`vm.detect_10k_s`, `vm.detect_100k_s`: until every VM is known, in its group, with
/// its policy). `vm.replay_100k_novirt_s` is the same capture without `virt enable`:
/// what forwarding alone costs.
func runVMScaleBenchmarks() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vmready-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var detect: [Int: Double] = [:]
    for count in [10_000, 100_000] {
        let capture = "\(directory)/arps-\(count).pcap"
        try writeARPs(count: count, to: capture)
        let run = try vmScaleRun(count: count, capture: capture, virt: true)
        if count == 100_000 { report("vm.config_100k_members_boot_ms", run.bootSeconds * 1000, "ms") }
        report("vm.detect_\(count / 1000)k_s", run.replaySeconds, "s")
        detect[count] = run.replaySeconds
        if count == 100_000 {
            let plain = try vmScaleRun(count: count, capture: capture, virt: false)
            report("vm.replay_100k_novirt_s", plain.replaySeconds, "s")
        }
    }
    if let small = detect[10_000], let large = detect[100_000], small > 0 {
        report("vm.detect_100k_over_10k", large / small, "x")
    }
}

/// VMware MACs 00:50:56:00:00:00 up, each sending one ARP request (sender IP in
/// 198.18.0.0/15), a microsecond apart.
private func writeARPs(count: Int, to path: String) throws {
    let writer = try PcapFileWriter(path: path)
    var frame = [UInt8](repeating: 0, count: 60)
    for index in 0..<count {
        let mac = MACAddress(rawValue: 0x0050_5600_0000 | UInt64(index))
        let ip: [UInt8] = [198, 18 + UInt8(index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)]
        let header: [UInt8] = MACAddress.broadcast.octets + mac.octets + [0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1]
        let body: [UInt8] = mac.octets + ip + [0, 0, 0, 0, 0, 0] + [198, 19, 255, 254]
        frame.replaceSubrange(0..<(header.count + body.count), with: header + body)
        frame.withUnsafeBytes { writer.write($0, at: Timestamp(seconds: 1_700_000_000, nanoseconds: Int64(index) * 1000)) }
    }
    writer.flush()
}

private func vmScaleRun(count: Int, capture: String, virt: Bool) throws -> (bootSeconds: Double, replaySeconds: Double) {
    var lines = ["system server-ports port 1-4", "virt vm limit 262144", "mac-address-table limit 1048576"]
    for group in 1...64 { lines += ["vlan \(100 + group)", "exit", "virt vmgroup \(group) vlan \(100 + group)"] }
    for index in 0..<count {
        lines.append("virt vmgroup \(1 + index % 64) vm \(MACAddress(rawValue: 0x0050_5600_0000 | UInt64(index)))")
    }
    if virt { lines.append("virt enable") }
    let sw = try VMreadySwitch(SwitchOptions(portCount: 8, attachments: [1: .file(capture)]))
    let t0 = now()
    let boot = sw.replay(lines.joined(separator: "\n"), source: "bench")
    let t1 = now()
    try sw.start()
    sw.settle()
    let t2 = now()
    sw.stop()
    if !boot.failures.isEmpty { print("vm bench: \(boot.failures.count) config lines failed, first: \(boot.failures[0])") }
    if virt, sw.vms.count != count || sw.vms.groupOf.count != count {
        print("vm bench: expected \(count) VMs in groups, found \(sw.vms.count) VMs, \(sw.vms.groupOf.count) in groups")
    }
    return (Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9)
}
