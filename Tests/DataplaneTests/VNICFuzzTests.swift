import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes
import Testing

/// Seeded random and truncated frames through a switch using every vNIC feature at
/// once: nothing crashes, and every frame is accounted for on its port and its vNIC.
@Suite struct VNICFuzzTests {
    /// Port 1: switch mode, 4 vNICs (1.1 and 2.1 in a group with uplink 5); port 2: switch
    /// mode, 2 vNICs; port 3: io-extender (S-VIDs 1, 2) with upstream 4; ports 4-6 plain.
    static func makeConfiguration() throws -> BridgeConfiguration {
        var config = try BridgeConfiguration(portCount: 6)
        try config.vlans.create(10)
        config.vnicEnabled = true
        config[port: 1].speed = 1
        VNICTest.addVNICs(&config, port: 1, [1: 1, 2: 2, 3: 3, 4: 4])
        config.vnicPorts[1]!.vnics[3]!.switchport.mode = .trunk
        VNICTest.addVNICs(&config, port: 2, [1: 1, 2: 7])
        config.vnicPorts[2]!.vnics[2]!.switchport.accessVLAN = 10
        VNICTest.addVNICs(&config, port: 3, [1: 1, 2: 2], mode: .ioExtender(upstream: 4))
        config[port: 6].mode = .trunk
        var group = VNICGroup()
        group.vlan = 100
        group.members = [BridgePort(port: 1, vnic: 1), BridgePort(port: 2, vnic: 1)]
        group.uplink = 5
        group.isEnabled = true
        config.vnicGroups[1] = group
        return config
    }

    @Test(arguments: [UInt64(1), 2, 3, 0xdead_beef])
    func randomFramesNeverCrash(seed: UInt64) throws {
        let sink = CollectingSink()
        let clock = VirtualClock()
        let pipeline = try ForwardingPipeline(configuration: Self.makeConfiguration(), egress: sink, clock: clock)
        var random = SplitMix(state: seed)
        for index in 0..<5000 {
            var bytes: [UInt8]
            if random.next() % 2 == 0 {
                // A plausible frame: S-tag with a small S-VID, maybe a C-tag, then cut anywhere.
                let svid: UInt16? = random.next() % 4 == 0 ? nil : UInt16(random.next() % 9)
                let cvid: UInt16? = random.next() % 2 == 0 ? nil : [0, 1, 10, 100, 4095][Int(random.next() % 5)]
                let destination = random.next() % 3 == 0 ? VNICTest.broadcast : station(Int(random.next() % 8))
                bytes = VNICTest.frame(to: destination, from: station(Int(random.next() % 8)), svid: svid, cvid: cvid,
                                       seed: UInt8(truncatingIfNeeded: index))
                bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
            } else {
                bytes = (0..<Int(random.next() % 80)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                if bytes.count >= 14, random.next() % 2 == 0 { bytes[12] = 0x88; bytes[13] = 0xa8 }
            }
            pipeline.process(bytes, on: Int(random.next() % 7))
            if index % 500 == 0 { clock.advance(seconds: 0.001) }
            _ = sink.take()
        }
        #expect(everyFrameAndVNICAccounted(pipeline))
    }
}
