import Dataplane
import Frames
import Switch

/// `vdp.assoc_to_policy_us`: from a VDP associate request (an ECP frame as lldpad sends it)
/// received on an EVB port to the VSI's policy placed on that port (its type's VLAN in the
/// port's membership) and the response sent, through the whole switch; the VSI is
/// de-associated between two rounds. p50 and p99 of 1,000 associations.
func runVDPBenchmarks() throws {
    var options = SwitchOptions(portCount: 4)
    let port = MemoryPort()
    options.attachments[1] = .memory(port)
    let sw = try VMreadySwitch(options)
    let shell = try sw.shell(kind: .batch)
    let setup = ["configure terminal", "vlan 100", "exit", "virt enable", "virt evb profile 1", "vsi-discovery", "exit",
                 "interface port 1", "evb profile 1", "exit", "virt evb vsitype 4711 version 1", "vlan 100", "exit", "end"]
    for line in setup where shell.run(line).error != nil { print("vdp bench setup failed: \(line)") }
    let station = MACAddress(0x02, 0x00, 0x00, 0x00, 0x51, 0x01)
    let vsiMAC = MACAddress(0x52, 0x54, 0x00, 0x8e, 0xaa, 0x13)
    let manager = VDPIdentifier(name: "mgr1")!
    let id = VDPIdentifier(uuid: "a1412857-60f7-4ce1-e95a-2164943f53a3")!
    func request(_ kind: VSITLV.Request, sequence: UInt16) -> [UInt8] {
        let vsi = VSITLV(request: kind, typeID: 4711, typeVersion: 1, id: id, filterFormat: .macVID,
                         filters: [VSITLV.Filter(vid: 100, mac: vsiMAC)])
        let payload = (try? VDPDU(tlvs: [.managerID(manager), .vsi(vsi)]).encode()) ?? []
        return ECPDU(operation: .request, sequence: sequence, payload: payload).frame(source: station)
    }
    func receive(_ frame: [UInt8]) {
        sw.dataplane.withPipeline { pipeline in frame.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: 1) } }
        sw.settle()
    }
    /// The station acks the bridge's responses, as lldpad does, so none waits on a retransmission.
    func ackResponses() {
        for frame in port.takeEgress() {
            guard let pdu = try? ECPDU(decodingFrame: frame), pdu.operation == .request else { continue }
            receive(ECPDU(operation: .acknowledgement, sequence: pdu.sequence).frame(source: station))
        }
    }
    var responses = 0
    var micros: [Double] = []
    var sequence: UInt16 = 1
    for round in 0..<1000 {
        let t0 = now()
        receive(request(.associate, sequence: sequence))
        micros.append(Double(now() - t0) / 1000)
        let egress = port.takeEgress()
        responses += egress.filter { (try? ECPDU(decodingFrame: $0))?.operation == .request }.count
        for frame in egress {
            guard let pdu = try? ECPDU(decodingFrame: frame), pdu.operation == .request else { continue }
            receive(ECPDU(operation: .acknowledgement, sequence: pdu.sequence).frame(source: station))
        }
        if round == 0, !sw.dataplane.effectiveMembership(vlan: 100).members.contains(1) {
            print("vdp.assoc_to_policy_us: the VSI's VLAN did not reach port 1")
        }
        receive(request(.deAssociate, sequence: sequence &+ 1))
        ackResponses()
        sequence &+= 2
    }
    if responses != 1000 { print("vdp.assoc_to_policy_us: \(responses) responses sent within the measured step for 1000 requests") }
    micros.sort()
    report("vdp.assoc_to_policy_us", micros[micros.count / 2], "us (p50)")
    report("vdp.assoc_to_policy_p99_us", micros[micros.count * 99 / 100], "us")
}
