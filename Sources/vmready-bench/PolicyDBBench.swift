import Dataplane
import Foundation
import Frames
import PolicyDB
import Switch
import TestSupport
import Virtualization

/// `policydb.detect_to_policy_ms`: from a VM's first frame on a server port to its profile
/// from the policy database in force in the dataplane (the VM in the profile's switch-made
/// group, the port in the profile's VLAN), with a real PostgreSQL on loopback. 1,000 VMs,
/// each assigned by MAC, detected one after another; p50 and p99.
func runPolicyDBBenchmarks() throws {
    guard PostgresServer.isAvailable else {
        print("policydb.detect_to_policy_ms: skipped (needs root and Debian's postgresql)")
        return
    }
    let server = try PostgresServer()
    defer { server.stop() }
    let database = try server.createDatabase()
    let connection = try PolicyConnection(uri: database.uri, passwordFile: server.passwordFile)
    _ = try connection.migrate()
    let vms = 1000
    let vlans: [UInt16] = [100, 101, 102, 103]
    let mac = { (i: Int) in MACAddress(rawValue: 0x0050_5600_0000 | UInt64(i + 1)) }
    let document = PolicyDocument(
        profiles: vlans.map { PolicyProfile(name: "p\($0)", vlan: $0) },
        assignments: (0..<vms).map { PolicyAssignment(key: .mac(mac($0)), profile: "p\(vlans[$0 % vlans.count])") },
        vsiTypes: [])
    try connection.importDocument(document)

    var options = SwitchOptions(portCount: 8)
    for port in 1...8 { options.attachments[port] = .memory(MemoryPort()) }
    let sw = try VMreadySwitch(options)
    let shell = try sw.shell(kind: .batch)
    let setup = ["configure terminal"] + vlans.flatMap { ["vlan \($0)", "exit"] } + [
        "system server-ports port 1-7", "virt enable",
        "virt policy-db uri \"\(database.uri)\"", "virt policy-db password-file \"\(server.passwordFile)\"", "end",
    ]
    for line in setup where shell.run(line).error != nil { print("policydb bench setup failed: \(line)") }
    func connected() -> Bool { shell.run("show virt policy-db").output.first?.contains(": connected since") == true }
    let deadline = Date().addingTimeInterval(30)
    while !connected(), Date() < deadline { usleep(10_000) }
    guard connected() else {
        print("policydb.detect_to_policy_ms: the switch did not connect: \(shell.run("show virt policy-db").output)")
        return
    }

    var millis: [Double] = []
    for i in 0..<vms {
        let port = i % 7 + 1
        let vlan = vlans[i % vlans.count]
        var frame = [UInt8](repeating: 0, count: 64)
        frame.replaceSubrange(0..<6, with: MACAddress.broadcast.octets)
        frame.replaceSubrange(6..<12, with: mac(i).octets)
        frame[12] = 0x08
        let bytes = frame
        let t0 = now()
        sw.dataplane.withPipeline { pipeline in bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: port) } }
        sw.settle()
        let limit = t0 + 5_000_000_000
        func applied() -> Bool {
            guard let group = sw.vms.group(of: mac(i)), VMGroup.implicitRange.contains(group) else { return false }
            return sw.dataplane.effectiveMembership(vlan: vlan).members.contains(port)
        }
        while !applied(), now() < limit { usleep(20) }
        guard applied() else {
            print("policydb.detect_to_policy_ms: VM \(i)'s profile was not applied within 5 s")
            return
        }
        millis.append(Double(now() - t0) / 1e6)
    }
    millis.sort()
    report("policydb.detect_to_policy_ms", millis[millis.count / 2], "ms (p50)")
    report("policydb.detect_to_policy_p99_ms", millis[millis.count * 99 / 100], "ms")
}
