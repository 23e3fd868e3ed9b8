import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes

/// Frames and switches for the vNIC tests.
enum VNICTest {
    static let broadcast = MACAddress(rawValue: 0xffff_ffff_ffff)

    /// A frame with an optional outer S-tag (0x88a8, PCP 0) and an optional C-tag
    /// (0x8100) inside it, then a local experimental EtherType and 46 bytes of payload
    /// that name `seed`, so each row's frame is told apart from the others.
    static func frame(to destination: MACAddress, from source: MACAddress, svid: UInt16? = nil,
                      cvid: UInt16? = nil, seed: UInt8 = 0xab) -> [UInt8] {
        var bytes = destination.octets + source.octets
        if let svid { bytes += be16(EtherType.serviceVLAN) + be16(svid) }
        if let cvid { bytes += be16(EtherType.vlan) + be16(cvid) }
        return bytes + be16(0x88b5) + [UInt8](repeating: seed, count: 46)
    }

    /// `vnics` (index → S-VID) enabled on `port`, each at `percent` and access VLAN 1.
    static func addVNICs(_ config: inout BridgeConfiguration, port: Int, _ vnics: [Int: UInt16], percent: Int = 25,
                         mode: VNICMode = .switch) {
        var settings = config.vnicPorts[port] ?? VNICPortConfiguration()
        settings.mode = mode
        for (index, svid) in vnics {
            var vnic = VNICConfiguration(index: index)
            vnic.svid = svid
            vnic.isEnabled = true
            vnic.bandwidthPercent = percent
            settings.vnics[index] = vnic
        }
        config.vnicPorts[port] = settings
    }
}

/// One expected egress frame: physical port and exact bytes.
struct Egress: Hashable, CustomStringConvertible {
    var port: Int
    var bytes: [UInt8]
    var description: String { "port \(port): \(bytes.count) bytes \(bytes.prefix(22).map { String($0, radix: 16) })" }
}

extension CollectingSink {
    /// What was sent since the last call, as a set (flooding order is the ports').
    func takeSet() -> Set<Egress> { Set(take().map { Egress(port: $0.port, bytes: $0.bytes) }) }
}

/// The accounting law on every physical port and every vNIC.
func everyFrameAndVNICAccounted(_ pipeline: ForwardingPipeline) -> Bool {
    (pipeline.allCounters() + pipeline.vnicCounters()).allSatisfy { $0.rxFrames == $0.accounted }
}
