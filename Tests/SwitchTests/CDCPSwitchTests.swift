import Console
import Dataplane
import Foundation
import FrameTestSupport
import Frames
import Protocols
@testable import Switch
import SwitchTypes
import Testing

/// CDCP through the whole switch: on a port with `vnic port P cdcp`, a vNIC takes traffic
/// only once the station has asked for its channel and been given it; the switch's answer
/// goes out on the nearest-customer-bridge agent; what the station stops asking for is
/// taken back.
@Suite struct CDCPSwitchTests {
    static let station = MACAddress(0x02, 0x5e, 0x00, 0x00, 0x00, 0x01)

    /// A frame from the station's vNIC behind S-VID `svid`, broadcast.
    static func sTagged(svid: UInt16) -> [UInt8] {
        MACAddress.broadcast.octets + MACAddress(0x02, 0x5e, 0, 0, 0, 0x10).octets + [0x88, 0xa8, UInt8(svid >> 8), UInt8(svid & 0xff)]
            + [0x08, 0x00] + [UInt8](repeating: 0, count: 46)
    }

    /// The station's LLDPDU to the nearest customer bridge, asking for `scids`.
    static func request(_ scids: [UInt16]) throws -> [UInt8] {
        let ask = CDCPTLV(role: .station, sComponent: false, channelCapacity: 4, channels: scids.map { .init(scid: $0, svid: 0) })
        let unit = LLDPDU(chassisID: .macAddress(station), portID: .interfaceName("eth0"), timeToLive: 120,
                          tlvs: [.organizational(.cdcp(ask))])
        return try unit.frame(source: station, destination: LLDPAgentKind.nearestCustomerBridge.address)
    }

    static func svidNotAssigned(_ lab: VMreadyBench) -> UInt64 {
        lab.sw.dataplane.counters()[0].drops[.svidNotAssigned, default: 0]
    }

    /// The nearest-customer-bridge LLDPDUs port 1 sent since the last call.
    static func customerFrames(_ lab: VMreadyBench) -> [[UInt8]] {
        lab.ports[1].takeEgress().filter { Array($0.prefix(6)) == LLDPAgentKind.nearestCustomerBridge.address.octets }
    }

    /// The CDCP answers port 1 sent since the last call.
    static func answers(_ lab: VMreadyBench) throws -> [CDCPTLV] {
        try customerFrames(lab).compactMap { frame in
            try frame.withUnsafeBytes { try LLDPDU(decoding: UnsafeRawBufferPointer(rebasing: $0[14...])) }
                .organizationalTLVs.compactMap { if case .cdcp(let tlv) = $0 { tlv } else { nil } }.first
        }
    }

    @Test func aVNICTakesTrafficOnceCDCPGaveItsChannel() throws {
        let lab = try VMreadyBench()
        try lab.sw.configure { (s: inout SwitchState) throws(CommandFailure) in
            s.bridge.vnicEnabled = true
            var vnics = VNICPortConfiguration()
            for index in 1...3 {
                var vnic = VNICConfiguration(index: index)
                vnic.svid = UInt16(100 + index)
                vnic.isEnabled = true
                vnics.vnics[index] = vnic
            }
            s.bridge.vnicPorts[1] = vnics
            s.vnicCDCPPorts = [1]
        }
        lab.sw.settle()
        // Before any request the port offers three channels and gives none: its vNICs take nothing.
        #expect(try Self.answers(lab).last == CDCPTLV(role: .bridge, sComponent: true, channelCapacity: 3, channels: []))
        lab.sendRaw(Self.sTagged(svid: 101), on: 1)
        #expect(Self.svidNotAssigned(lab) == 1)
        // The station asks for channels 1, 2 and 4: it gets 1 and 2 (there is no vNIC 4), at once.
        lab.sendRaw(try Self.request([1, 2, 4]), on: 1)
        let answered = Self.customerFrames(lab)
        #expect(try answered.compactMap { frame in
            try frame.withUnsafeBytes { try LLDPDU(decoding: UnsafeRawBufferPointer(rebasing: $0[14...])) }.organizationalTLVs.first
        }.last == .cdcp(CDCPTLV(role: .bridge, sComponent: true, channelCapacity: 3,
                                channels: [.init(scid: 1, svid: 101), .init(scid: 2, svid: 102)])))
        // tcpdump reads the answer as sent, whole.
        if let tcpdump = PacketTools.tcpdump, let frame = answered.last {
            let file = FileManager.default.temporaryDirectory.appending(path: "vmready-cdcp-\(UUID().uuidString).pcap")
            defer { try? FileManager.default.removeItem(at: file) }
            try PacketTools.pcap([frame]).write(to: file)
            let text = try PacketTools.output(tcpdump, ["-vv", "-n", "-r", file.path])
            #expect(text.contains("Role: 0, RES: 0, Scomp: 1 ChnCap: 3") && text.contains("SCID: 1, SVID: 101")
                    && text.contains("SCID: 2, SVID: 102") && !text.contains("[|"), "\(text)")
        } else {
            Issue.record("tcpdump is missing: run `make deps` (Debian package tcpdump)")
        }
        lab.sendRaw(Self.sTagged(svid: 101), on: 1)
        lab.sendRaw(Self.sTagged(svid: 102), on: 1)
        lab.sendRaw(Self.sTagged(svid: 103), on: 1)
        #expect(Self.svidNotAssigned(lab) == 2, "only vNIC 3's S-VID, which the station was not given, is refused")
        // It asks for channel 2 only: channel 1 is taken back.
        lab.sendRaw(try Self.request([2]), on: 1)
        lab.sendRaw(Self.sTagged(svid: 101), on: 1)
        #expect(Self.svidNotAssigned(lab) == 3)
        // Without CDCP on the port, its enabled vNICs are static again.
        try lab.sw.configure { (s: inout SwitchState) throws(CommandFailure) in s.vnicCDCPPorts = [] }
        lab.sendRaw(Self.sTagged(svid: 103), on: 1)
        #expect(Self.svidNotAssigned(lab) == 3)
    }
}
