import Dataplane
import FrameTestSupport
import Frames
import Switch
import SwitchTypes
import Testing
import Virtualization

/// The hand-over from the forwarding thread to the VM layer: bounded, never waiting, and
/// losing nothing — an event the full ring refuses comes back with the station's next frame.
@Suite struct VMLearningFeedTests {
    @Test func aFullRingDefersEventsToTheStationsNextFrameAndLosesNone() throws {
        let clock = VirtualClock(start: Timestamp(seconds: 1_700_000_000))
        let vms = VMTable(serverPorts: [1, 2])
        let feed = VMLearningFeed(vms, ringCapacity: 4)
        let pipeline = try ForwardingPipeline(configuration: BridgeConfiguration(portCount: 3), egress: CollectingSink(),
                                              clock: clock)
        pipeline.learningObserver = feed
        let macs = (0..<10).map { mac(oui: 0x525400, UInt32($0)) }
        func sendAll() {
            for (n, source) in macs.enumerated() {
                clock.advance(seconds: 1)
                FrameBuilder(destination: .broadcast, source: source).bytes.withUnsafeBytes {
                    pipeline.process(frame: $0, ingressPort: 1 + n % 2)
                }
            }
        }
        sendAll() // nothing drains meanwhile: four fit
        #expect(feed.overflowCount == 6)
        // The refused stations are not in the MAC table, so their next frame is a new one.
        #expect(macs.filter { pipeline.macTable.port(for: $0, vlan: 1, at: clock.now()) != nil }.count == 4)
        feed.drain()
        #expect(vms.count == 4)
        sendAll() // the next frame of each: six come back, four fit again, the known four only refresh
        #expect(feed.overflowCount == 8)
        feed.drain()
        #expect(vms.count == 8)
        sendAll()
        feed.drain()
        #expect(Set(vms.entries().map(\.mac)) == Set(macs))
        // Each station was handled once: deferred, never duplicated or lost.
        #expect(vms.statistics.eventsHandled == 10)
        #expect(feed.overflowCount == 8)
    }

    @Test func onlyVMOUIsAreReportedSoOtherNewStationsCostTheFeedNothing() throws {
        let vms = VMTable(serverPorts: [1])
        let feed = VMLearningFeed(vms, ringCapacity: 4)
        var configuration = try BridgeConfiguration(portCount: 2)
        configuration.reportedOUIs = [0x525400]
        let pipeline = try ForwardingPipeline(configuration: configuration, egress: CollectingSink())
        pipeline.learningObserver = feed
        for n in 0..<100 {
            // A spray of other new MACs: none reaches the ring, so none can crowd out a VM.
            FrameBuilder(destination: .broadcast, source: mac(oui: 0x020000, UInt32(n))).bytes.withUnsafeBytes {
                pipeline.process(frame: $0, ingressPort: 1)
            }
        }
        FrameBuilder(destination: .broadcast, source: mac(oui: 0x525400, 1)).bytes.withUnsafeBytes {
            pipeline.process(frame: $0, ingressPort: 1)
        }
        feed.drain()
        #expect(feed.overflowCount == 0)
        #expect(vms.statistics.eventsHandled == 1)
        #expect(vms.entries().map(\.mac) == [mac(oui: 0x525400, 1)])
    }
}
