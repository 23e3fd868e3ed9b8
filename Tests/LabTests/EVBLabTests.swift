#if os(Linux)
import Foundation
import Frames
import Glibc
import Protocols
import Testing

/// lldpad as the 802.1Qbg station (driven by lldptool and vdptool, interop.md's recipe)
/// against the switch's LLDP and EVB agents on a real control-plane loop, over a veth pair
/// between two namespaces this test creates and removes. No IPv4 at all.
@Suite(.serialized) struct EVBLabTests {
    static let stationMAC = "02:00:00:00:51:02"
    static let bridgeMAC = MACAddress(0x02, 0x00, 0x00, 0x00, 0xb7, 0x02)

    @Test(.enabled(if: geteuid() == 0 && access("/usr/sbin/lldpad", X_OK) == 0,
                   "needs root and lldpad (make test installs it): namespaces, a veth pair, a packet socket"))
    func lldpadAssociatesThroughTheBridgeSide() throws {
        let suffix = String(getpid() % 100_000)
        let st = "evbst\(suffix)", br = "evbbr\(suffix)"
        let work = FileManager.default.temporaryDirectory.appending(path: "vmready-evb-lab-\(suffix)")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var lldpad: pid_t?
        defer {
            if let lldpad { HostProcesses.kill(lldpad) }
            _ = try? HostProcesses.run(["ip", "netns", "del", st])
            _ = try? HostProcesses.run(["ip", "netns", "del", br])
            try? FileManager.default.removeItem(at: work)
        }
        try HostProcesses.mustRun(["ip", "netns", "add", st])
        try HostProcesses.mustRun(["ip", "netns", "add", br])
        try HostProcesses.mustRun(["ip", "link", "add", "st0", "netns", st, "type", "veth", "peer", "name", "br0", "netns", br])
        try HostProcesses.mustRun(["ip", "-n", st, "link", "set", "st0", "address", Self.stationMAC])
        try HostProcesses.mustRun(["ip", "-n", br, "link", "set", "br0", "address", Self.bridgeMAC.description])
        try HostProcesses.mustRun(["ip", "-n", st, "link", "set", "st0", "up"])
        try HostProcesses.mustRun(["ip", "-n", br, "link", "set", "br0", "up"])

        // The bridge: EVB with reflective relay allowed, type 4711 v1 on VLAN 100.
        let bridge = EVBBridgeSettings(reflectiveRelayAllowed: true)
        var lldpSettings = LLDPSettings(chassisMAC: Self.bridgeMAC, portCount: 1)
        lldpSettings.refreshInterval = 5
        lldpSettings.ports[0].evb = bridge
        var evbSettings = EVBSettings(sourceMAC: Self.bridgeMAC, portCount: 1)
        evbSettings.ports[0] = EVBSettings.Port(bridge: bridge, maxVSIs: 2)
        let types = LocalVSITypeDatabase(types: [.init(typeID: 4711, version: 1): VSIType(vlan: 100, profile: "web")])
        let harness = EVBBridgeHarness(lldp: lldpSettings, evb: evbSettings, types: types)
        try harness.start(namespace: br, device: "br0")
        defer { harness.stop() }

        // The station (interop.md: a private /dev/shm, a fresh config file).
        let conf = work.appending(path: "lldpad.conf").path
        try Data().write(to: URL(fileURLWithPath: conf))
        lldpad = try HostProcesses.spawn(["ip", "netns", "exec", st, "sh", "-c",
                                          "mount -t tmpfs -o size=1m tmpfs /dev/shm && exec /usr/sbin/lldpad -p -V 7 -f \(conf)"],
                                         stdoutPath: work.appending(path: "lldpad.out").path,
                                         stderrPath: work.appending(path: "lldpad.err").path)
        func station(_ argv: [String]) throws -> String {
            try HostProcesses.run(["ip", "netns", "exec", st] + argv, timeout: 20).stdout
        }
        // lldptool answers once lldpad listens.
        var ready = false
        for _ in 0..<50 where !ready {
            usleep(100_000)
            ready = (try? HostProcesses.run(["ip", "netns", "exec", st, "lldptool", "-L", "-i", "st0", "-g", "ncb", "adminStatus=rxtx"]))?
                .succeeded ?? false
        }
        try #require(ready, "lldpad did not start: \((try? String(contentsOfFile: work.appending(path: "lldpad.err").path, encoding: .utf8)) ?? "")")
        for setting in ["enableTx=yes", "evbmode=station", "evbrrreq=yes"] {
            _ = try station(["lldptool", "-T", "-i", "st0", "-g", "ncb", "-V", "evb", "-c", setting])
        }
        // The station hears our EVB TLV (fast start, then every 5 s) and its own reaches us.
        var heard = ""
        for _ in 0..<40 {
            heard = try station(["lldptool", "-t", "-n", "-i", "st0", "-g", "ncb", "-V", "evb"])
            if heard.lowercased().contains("bridge"), harness.evb.snapshot.ports[1]?.station != nil { break }
            usleep(250_000)
        }
        let port = try #require(harness.evb.snapshot.ports[1])
        #expect(port.operational.reflectiveRelay && port.operational.stationHeard, "station TLV: \(heard)")
        #expect(port.operational.retransmitExponent == 14)

        func vdp(_ mode: String, type: Int = 4711, uuid: String, filter: String) throws -> String {
            try station(["vdptool", "-i", "st0", "-T", "-W", "-V", "assoc", "-c", "mode=\(mode)", "-c", "mgrid2=mgr1",
                         "-c", "typeid=\(type)", "-c", "typeidver=1", "-c", "uuid=\(uuid)", "-c", "hints=none",
                         "-c", "filter=\(filter)"])
        }
        // Associate with VID 0: answered, the VID filled from the type's VLAN.
        let uuid1 = "a1412857-60f7-4ce1-e95a-2164943f53b1"
        let associated = try vdp("assoc", uuid: uuid1, filter: "0-52:54:00:8e:aa:21")
        #expect(associated.contains("Response from VDP"), "\(associated)")
        #expect(associated.contains("filter = 100-52:54:00:8e:aa:21"), "\(associated)")
        var vsis = harness.evb.snapshot.ports[1]?.vsis ?? []
        #expect(vsis.count == 1 && vsis.first?.state == .associated && vsis.first?.filters.first?.vid == 100)
        #expect(vsis.first?.id.uuidText == uuid1 && vsis.first?.managerID.description == "mgr1")

        // Pre-associate with reservation, then an unknown type: refused, which lldpad accepts as
        // an answer and reports as the VSI de-associated.
        let reserved = try vdp("preassoc-rr", uuid: "a1412857-60f7-4ce1-e95a-2164943f53b2", filter: "100-52:54:00:8e:aa:22")
        #expect(reserved.contains("Response from VDP"), "\(reserved)")
        let refused = try vdp("assoc", type: 999, uuid: "a1412857-60f7-4ce1-e95a-2164943f53b3", filter: "100-52:54:00:8e:aa:23")
        #expect(refused.contains("Response from VDP") && refused.contains("mode = deassoc"), "\(refused)")
        #expect(harness.evb.snapshot.ports[1]?.vdp.rejected == 1)

        // De-associate the first.
        let gone = try vdp("deassoc", uuid: uuid1, filter: "100-52:54:00:8e:aa:21")
        #expect(gone.contains("Response from VDP"), "\(gone)")
        vsis = harness.evb.snapshot.ports[1]?.vsis ?? []
        #expect(vsis.map(\.state) == [.preAssociatedWithReservation])
        let kinds = harness.events.list.withLock { $0.map(\.kind) }
        #expect(kinds == [.associated, .preAssociatedWithReservation, .deAssociated], "\(kinds)")
        // Keep-alive: lldpad repeats its request every 10 * 2^RKA us (RKA 20: 10.5 s), which
        // refreshes the VSI without an event.
        let before = try #require(vsis.first?.lastRefresh)
        var refreshed = false
        for _ in 0..<60 where !refreshed {
            usleep(250_000)
            refreshed = (harness.evb.snapshot.ports[1]?.vsis.first?.lastRefresh ?? before) > before
        }
        #expect(refreshed, "no keep-alive within 15 s")
        #expect(harness.events.list.withLock { $0.count } == 3)
        let ecp = harness.evb.snapshot.ports[1]?.ecp
        #expect((ecp?.acksIn ?? 0) >= 4 && ecp?.timeouts == 0 && ecp?.malformed == 0, "\(String(describing: ecp))")
    }
}
#endif
