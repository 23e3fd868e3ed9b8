import Dataplane
import Frames
import Switch
import VMManager

/// `vmm.event_to_policy_us`: from a VM manager's report that a VM started on another host
/// (as the libvirt connection hands it over) to the VM's policy placed on that host's port
/// in the dataplane (VLAN membership and MAC entry moved), with 1,000 other VMs known.
/// The VM alternates between two hosts' ports; p50 and p99 of 2,000 arrivals.
func runVMManagerBenchmarks() throws {
    var options = SwitchOptions(portCount: 8)
    for port in 1...8 { options.attachments[port] = .memory(MemoryPort()) }
    let sw = try VMreadySwitch(options)
    let shell = try sw.shell(kind: .batch)
    let setup = ["configure terminal", "vlan 100", "exit", "system server-ports port 1-7", "virt enable",
                 "virt vmgroup 1 vlan 100", "virt vmgroup 1 vm web01",
                 "virt vmmanager host hv1 uri \"test:///default\"", "virt vmmanager host hv1 port 1",
                 "virt vmmanager host hv2 uri \"test:///default\"", "virt vmmanager host hv2 port 2", "end"]
    for line in setup where shell.run(line).error != nil { print("vmm bench setup failed: \(line)") }
    let web = MACAddress(0x52, 0x54, 0x00, 0x8e, 0xaa, 0x11)
    func domain(_ state: DomainState) -> DomainRecord {
        DomainRecord(uuid: "a1412857-60f7-4ce1-e95a-2164943f53aa", name: "web01", state: state, macs: [web])
    }
    let others = (0..<1000).map { i in
        DomainRecord(uuid: "00000000-0000-4000-8000-\(String(format: "%012x", i))", name: "vm\(i)", state: .running,
                     macs: [MACAddress(rawValue: 0x5254_0001_0000 | UInt64(i))])
    }
    sw.receive(.connected(host: "hv1", hostname: "hv1.lab", domains: [domain(.running)] + others))
    sw.receive(.connected(host: "hv2", hostname: "hv2.lab", domains: []))
    // The VM's first frame on hv1's port: known, in its group, policy installed.
    var frame = [UInt8](repeating: 0, count: 64)
    frame.replaceSubrange(0..<6, with: MACAddress.broadcast.octets)
    frame.replaceSubrange(6..<12, with: web.octets)
    frame[12] = 0x08
    let bytes = frame
    sw.dataplane.withPipeline { pipeline in bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: 1) } }
    sw.settle()
    var micros: [Double] = []
    for round in 0..<2000 {
        let (from, to) = round % 2 == 0 ? ("hv1", "hv2") : ("hv2", "hv1")
        sw.receive(.domain(host: from, lifecycle: .stopped(.saved), domain: domain(.shutOff)))
        sw.settle()
        let t0 = now()
        sw.receive(.domain(host: to, lifecycle: .started(.restored), domain: domain(.running)))
        sw.settle()
        micros.append(Double(now() - t0) / 1000)
        let port = to == "hv2" ? 2 : 1
        if round == 0, !sw.dataplane.effectiveMembership(vlan: 100).members.contains(port) {
            print("vmm.event_to_policy_us: the policy did not reach port \(port)")
        }
    }
    micros.sort()
    report("vmm.event_to_policy_us", micros[micros.count / 2], "us (p50)")
    report("vmm.event_to_policy_p99_us", micros[micros.count * 99 / 100], "us")
}
