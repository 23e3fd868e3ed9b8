import Console
import Dataplane
import Foundation
import Frames
import FrameTestSupport
import Protocols
@testable import Switch
import SwitchTypes
import Testing

/// DCBX from the command line to the wire: what `dcbx ...` configures is what the LLDPDUs
/// the switch sends carry, and tshark (Wireshark's dissectors) decodes those TLVs cleanly.
@Suite struct DCBXCommandTests {
    static let tshark = PacketTools.tshark

    static let configuration = [
        "configure terminal",
        "dcbx ets priority-group 0 priorities 0-2,5-7 bandwidth 50",
        "dcbx ets priority-group 1 priorities 3 bandwidth 30",
        "dcbx ets priority-group 2 priorities 4 bandwidth 20",
        "dcbx pfc priority 3,4",
        "dcbx application ethertype 0x8906 priority 3",
        "dcbx application tcp-port 3260 priority 4",
        "dcbx application udp-port 4791 priority 5",
        "dcbx enable",
        "interface port 2",
        "dcbx willing",
        "exit",
        "interface port 3",
        "no dcbx advertise ets",
        "no dcbx advertise application",
        "end",
    ]

    /// A switch configured with `lines`, its LLDP agent running the result.
    static func configured(_ lines: [String]) throws -> VMreadySwitch {
        let sw = try VMreadySwitch()
        let shell = try sw.shell(kind: .batch)
        for line in lines {
            let outcome = shell.run(line)
            #expect(outcome.succeeded, "\(line): \(outcome.error?.message ?? "")")
        }
        // One step hands the agent its new settings and publishes them.
        sw.controlPlane.step()
        return sw
    }

    /// The DCBX TLVs of the LLDPDU port `port` sends.
    static func sentDCBX(_ sw: VMreadySwitch, port: Int) throws -> [LLDPOrganizationalTLV] {
        let frame = try #require(LLDPAgent.frame(for: port, in: sw.lldp.snapshot.settings, timeToLive: 120))
        let unit = try LLDPDU(decoding: Array(frame.dropFirst(14)))
        return unit.tlvs.compactMap { tlv in
            guard case .organizational(let organizational) = tlv else { return nil }
            switch organizational {
            case .etsConfiguration, .etsRecommendation, .pfcConfiguration, .applicationPriority: return organizational
            default: return nil
            }
        }
    }

    static let tables = ETSTables(priorityTrafficClass: [0, 0, 0, 1, 2, 0, 0, 0],
                                  trafficClassBandwidth: [50, 30, 20, 0, 0, 0, 0, 0],
                                  trafficClassAlgorithm: [2, 2, 2, 0, 0, 0, 0, 0])

    @Test func theLLDPDUsCarryWhatIsConfigured() throws {
        let sw = try Self.configured(Self.configuration)
        let applications = ApplicationPriority(entries: [
            ApplicationPriorityEntry(priority: 3, selector: ApplicationPriorityEntry.Selector.etherType, protocolID: 0x8906),
            ApplicationPriorityEntry(priority: 4, selector: ApplicationPriorityEntry.Selector.tcpSCTPPort, protocolID: 3260),
            ApplicationPriorityEntry(priority: 5, selector: ApplicationPriorityEntry.Selector.udpDCCPPort, protocolID: 4791),
        ])
        func expected(willing: Bool) -> [LLDPOrganizationalTLV] {
            [.etsConfiguration(ETSConfiguration(willing: willing, creditBasedShaper: false, maxTrafficClasses: 8, tables: Self.tables)),
             .etsRecommendation(Self.tables),
             .pfcConfiguration(PFCConfiguration(willing: willing, macsecBypassCapability: false, capability: 8, enabled: 0x18)),
             .applicationPriority(applications)]
        }
        #expect(try Self.sentDCBX(sw, port: 1) == expected(willing: false))
        #expect(try Self.sentDCBX(sw, port: 2) == expected(willing: true))
        #expect(try Self.sentDCBX(sw, port: 3) == [expected(willing: false)[2]])

        // Off: no DCBX TLV at all, on any port.
        let off = try Self.configured(Self.configuration + ["configure terminal", "no dcbx enable", "end"])
        for port in 1...3 { #expect(try Self.sentDCBX(off, port: port).isEmpty) }
    }

    /// One Application Priority TLV holds 168 entries: the 169th is refused and changes
    /// nothing, an entry already there still takes a new priority, and the full table is sent.
    @Test func applicationPrioritiesStopAtWhatOneTLVHolds() throws {
        let sw = try Self.configured(["configure terminal", "dcbx enable"]
                                     + (1...ApplicationPriority.maxEntries).map { "dcbx application tcp-port \($0) priority 1" })
        let shell = try sw.shell(kind: .batch)
        _ = shell.run("configure terminal")
        let refused = shell.run("dcbx application udp-port 1 priority 1")
        #expect(refused.error?.message == "% Too many application priorities (at most 168 fit in a TLV)")
        #expect(shell.run("dcbx application tcp-port 168 priority 7").succeeded)
        sw.controlPlane.step()
        let applications = sw.state.withLock { $0.dcbx.global.applications }
        #expect(applications.count == ApplicationPriority.maxEntries)
        #expect(applications.last == ApplicationPriorityEntry(priority: 7, selector: ApplicationPriorityEntry.Selector.tcpSCTPPort,
                                                             protocolID: 168))
        let sent = try Self.sentDCBX(sw, port: 1).compactMap { tlv -> [ApplicationPriorityEntry]? in
            if case .applicationPriority(let table) = tlv { return table.entries }
            return nil
        }
        #expect(sent == [applications])
    }

    /// A refused line leaves the settings as they were, and the running-config puts
    /// `dcbx enable` after the groups it checks.
    @Test func refusedLinesChangeNothing() throws {
        let sw = try Self.configured(Self.configuration)
        let before = sw.state.withLock { $0.dcbx }
        let shell = try sw.shell(kind: .batch)
        _ = shell.run("configure terminal")
        for line in ["dcbx ets priority-group 1 priorities 3 bandwidth 31", "no dcbx ets priority-group 2",
                     "dcbx ets priority-group 3 priorities 4 bandwidth 0", "dcbx pfc priority 3,8",
                     "dcbx application ethertype 0x05ff priority 1", "no dcbx application tcp-port 1"] {
            #expect(!shell.run(line).succeeded, "\(line)")
        }
        #expect(sw.state.withLock { $0.dcbx } == before)
        let config = sw.runningConfig()
        let enable = try #require(config.firstIndex(of: "dcbx enable"))
        #expect(config.indices.filter { config[$0].hasPrefix("dcbx ") }.allSatisfy { $0 <= enable })
    }

    @Test(.enabled(if: tshark != nil, "tshark is missing: run `make deps` (Debian package tshark)"))
    func tsharkDecodesTheDCBXTLVsTheSwitchSends() throws {
        let tshark = try #require(Self.tshark)
        let sw = try Self.configured(Self.configuration)
        let path = FileManager.default.temporaryDirectory.appending(path: "vmready-dcbx-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try PcapFileWriter(path: path)
            for port in 1...3 {
                let frame = try #require(LLDPAgent.frame(for: port, in: sw.lldp.snapshot.settings, timeToLive: 120))
                frame.withUnsafeBytes { writer.write($0, at: Timestamp(seconds: 1_763_700_000)) }
            }
            writer.flush()
        }
        let verbose = try PacketTools.output(tshark, ["-r", path, "-V"])
        #expect(!verbose.contains("Malformed"), "\(verbose)")
        #expect(!verbose.contains("Expert Info"), "\(verbose)")
        let fields = ["lldp.dcbx.ieee.willing", "lldp.dcbx.feature.pg.pgid_prio3", "lldp.dcbx.feature.pg.pgid_prio4",
                      "lldp.dcbx.feature.pg.per0", "lldp.dcbx.feature.pg.per1", "lldp.dcbx.feature.pg.per2",
                      "lldp.dcbx.ieee.ets.tsa2", "lldp.dcbx.ieee.ets.tsa3", "lldp.dcbx.feature.pfc.prio3",
                      "lldp.dcbx.feature.pfc.prio4", "lldp.dcbx.feature.pfc.prio5", "lldp.dcbx.ieee.app.prio",
                      "lldp.dcbx.iee.app.sf", "lldp.dcbx.feature.app.proto"]
        let values = try PacketTools.output(tshark, ["-r", path, "-T", "fields", "-E", "separator=|"] + fields.flatMap { ["-e", $0] })
        // Per frame (ports 1-3): ETS Configuration and Recommendation each give the ETS
        // fields twice; port 2 is willing; port 3 sends PFC only. 4791 is 0x12b7.
        #expect(values.split(separator: "\n").map(String.init) == [
            "0,0|1,1|2,2|50,50|30,30|20,20|2,2|0,0|1|1|0|3,4,5|1,2,3|0x8906,0x0cbc,0x12b7",
            "1,1|1,1|2,2|50,50|30,30|20,20|2,2|0,0|1|1|0|3,4,5|1,2,3|0x8906,0x0cbc,0x12b7",
            "0||||||||1|1|0|||",
        ])
    }
}
