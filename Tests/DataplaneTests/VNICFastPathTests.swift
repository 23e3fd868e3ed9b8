import Dataplane
import Frames
import FrameTestSupport
import SwitchTypes
import Testing

/// The vNIC-to-vNIC fast path (`forwardBetweenVNICs`) against the general path: the
/// same seeded traffic through the switch-mode switch of `VNICSwitchModeTests`, once as
/// is and once with a port ACL that matches nothing (which sends every frame the general
/// way), must leave as the same bytes, on the same ports, with the same counters.
@Suite struct VNICFastPathTests {
    /// The ingress ports and S-VIDs the seeded traffic comes from.
    static let ingress: [(port: Int, svid: UInt16?)] = [(1, 1), (1, 2), (1, 3), (2, 101), (2, 2), (3, nil), (4, nil)]

    /// The switch-mode switch as is (fast path), and with a port ACL matching nothing
    /// (every frame the general way), each with its sink.
    static func pipelines() throws -> (ForwardingPipeline, CollectingSink, ForwardingPipeline, CollectingSink) {
        let plain = try VNICSwitchModeTests.makeConfiguration()
        var general = plain
        var nothing = ACLRule()
        nothing.etherType = 0x9999
        nothing.action = .deny
        general.acls[9] = nothing
        general[port: 4].acls = [9]
        let fastSink = CollectingSink(), generalSink = CollectingSink()
        return (try ForwardingPipeline(configuration: plain, egress: fastSink), fastSink,
                try ForwardingPipeline(configuration: general, egress: generalSink), generalSink)
    }

    @Test(arguments: [UInt64(7), 8, 9])
    func fastPathDoesWhatTheGeneralPathDoes(seed: UInt64) throws {
        let (fast, fastSink, slow, generalSink) = try Self.pipelines()
        var random = SplitMix(state: seed)
        for index in 0..<3000 {
            let (port, svid) = Self.ingress[Int(random.next() % UInt64(Self.ingress.count))]
            let cvid: UInt16? = random.next() % 2 == 0 ? nil : [0, 1, 10, 20][Int(random.next() % 4)]
            let destination = random.next() % 8 == 0 ? VNICTest.broadcast : station(Int(random.next() % 12))
            let frame = VNICTest.frame(to: destination, from: station(Int(random.next() % 12)), svid: svid, cvid: cvid,
                                       seed: UInt8(truncatingIfNeeded: index))
            fast.process(frame, on: port)
            slow.process(frame, on: port)
            #expect(fastSink.take() == generalSink.take())
        }
        #expect(fast.vnicCounters() == slow.vnicCounters())
        #expect(fast.allCounters() == slow.allCounters())
        #expect(fast.macEntries() == slow.macEntries())
    }

    /// The fast path sends a batch's frame itself with the other vNIC's S-VID written over
    /// its own: through batches (as the engine forwards), the same frames leave as from the
    /// general path, and the batch holds the frames as received afterwards.
    @Test(arguments: [UInt64(21), 22])
    func batchesLeaveAsTheGeneralPathAndAreGivenBackUnchanged(seed: UInt64) throws {
        let (fast, fastSink, slow, generalSink) = try Self.pipelines()
        var random = SplitMix(state: seed)
        var fastPathFrames = 0
        for round in 0..<40 {
            let batch = FrameBatch(capacity: 64)
            var received: [(bytes: [UInt8], port: Int)] = []
            for index in 0..<64 {
                let (port, svid) = Self.ingress[Int(random.next() % UInt64(Self.ingress.count))]
                // Priority-tagged (C-VID 0) frames are ones the look-ahead leaves to the port's path.
                let cvid: UInt16? = random.next() % 2 == 0 ? nil : [0, 1, 10, 20][Int(random.next() % 4)]
                let destination = random.next() % 16 == 0 ? VNICTest.broadcast : station(Int(random.next() % 12))
                let frame = VNICTest.frame(to: destination, from: station(Int(random.next() % 12)), svid: svid,
                                           cvid: cvid, seed: UInt8(truncatingIfNeeded: round * 64 + index))
                received.append((frame, port))
                #expect(frame.withUnsafeBytes { batch.append($0, port: port) })
            }
            fast.process(batch)
            for (bytes, port) in received { slow.process(bytes, on: port) }
            let sent = fastSink.take()
            #expect(sent == generalSink.take())
            fastPathFrames += sent.filter { $0.port <= 2 }.count
            for (index, (bytes, port)) in received.enumerated() {
                let (frame, batchPort) = batch[index]
                #expect(Array(frame) == bytes && batchPort == port, "frame \(index) of round \(round) changed")
            }
        }
        #expect(fastPathFrames > 100, "the traffic must reach the vNIC-to-vNIC path")
        #expect(fast.vnicCounters() == slow.vnicCounters())
        #expect(fast.allCounters() == slow.allCounters())
        #expect(fast.macEntries() == slow.macEntries())
    }
}
