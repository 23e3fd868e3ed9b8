import Console
import Dataplane
import Foundation
import FrameTestSupport
import Frames
import Protocols
import Switch
import Testing
import VMManager
import SwitchTypes
import TestSupport

/// Golden transcripts: `Tests/Transcripts/*.txt` hold the lines typed (after their prompt)
/// and the exact output. Each runs through a batch session in echo mode on a fresh switch
/// and must come out byte for byte; a failure prints a diff. Lines starting with `;;` at the
/// top describe the transcript and are not part of it. In the body, `;; frame KIND MAC [IP] on
/// port P` lines are traffic: the frame is received on port P (a memory port; the switch
/// clock is virtual and advances a second per frame) before the next line is typed;
/// `;; advance N` lets N seconds pass (protocol timers run at their deadlines).
/// `VMREADY_UPDATE_TRANSCRIPTS=1` rewrites the files from the actual output.
@Suite struct TranscriptTests {
    static var promptPattern: Regex<(Substring, Substring?)> { /^[A-Za-z0-9._-]+(\([a-z-]+\))?[>#]/ }

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.transcripts.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }

    @Test func transcriptsExist() {
        #expect(Self.files.count >= 4)
    }

    @Test(arguments: files)
    func transcript(_ name: String) throws {
        let url = TestPaths.transcripts.appending(path: name)
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines.prefix { $0.hasPrefix(";;") }
        let body = lines.dropFirst(header.count)
        let steps = body.compactMap { line -> Step? in
            if line.hasPrefix(";; frame ") { return .frame(line) }
            if line.hasPrefix(";; advance ") { return .advance(line) }
            if line.hasPrefix(";; vmmanager ") { return .vmManager(line) }
            guard let m = line.prefixMatch(of: Self.promptPattern) else { return nil }
            return .input(String(line[m.range.upperBound...]))
        }
        #expect(steps.contains { if case .input = $0 { true } else { false } }, "\(name) has no input lines")

        let withTraffic = steps.contains {
            switch $0 {
            case .frame, .advance, .vmManager: true
            case .input: false
            }
        }
        let clock = VirtualClock(start: Timestamp(seconds: 1_763_700_000))
        var options = SwitchOptions()
        options.systemMAC = Self.systemMAC
        // Virtual time always: protocol timers move only when a transcript says so.
        options.clock = clock
        if withTraffic {
            for port in 1...options.portCount { options.attachments[port] = .memory(MemoryPort()) }
        }
        let sw = try VMreadySwitch(options)
        let capture = Capture()
        let output = capture.output
        let batch = BatchSession(shell: try sw.shell(kind: .batch), options: BatchOptions(echo: true),
                                 stdout: output, stderr: output)
        // Every show command is also run with `| json` at the same point, in a session of its
        // own (so `show history` and modes stay as typed), and its JSON checked against its schema.
        let jsonShell = try sw.shell(kind: .batch)
        var documents: [ShowJSONCheck.Document] = []
        var number = 0
        for step in steps {
            switch step {
            case .input(let line):
                number += 1
                _ = batch.runLine(line, number: number)
                if let document = ShowJSONCheck.run(line, in: jsonShell) { documents.append(document) }
            case .frame(let line):
                output.flush()
                output.write(line + "\n")
                output.flush()
                let (bytes, port) = try Self.frame(line)
                sw.controlPlane.catchUp(to: clock.now().adding(seconds: 1), setClock: clock.set)
                sw.dataplane.withPipeline { pipeline in
                    bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: port) }
                }
                sw.settle()
            case .advance(let line):
                output.flush()
                output.write(line + "\n")
                output.flush()
                guard let seconds = Double(line.dropFirst(";; advance ".count)) else {
                    throw TranscriptError("bad advance line: \(line)")
                }
                sw.controlPlane.catchUp(to: clock.now().adding(seconds: seconds), setClock: clock.set)
                sw.settle()
            case .vmManager(let line):
                output.flush()
                output.write(line + "\n")
                output.flush()
                sw.receive(try Self.vmManagerEvent(line))
                sw.settle()
            }
        }
        output.flush()
        for failure in try ShowJSONCheck.validate(documents) { Issue.record("\(name): \(failure)") }
        let expected = body.joined(separator: "\n") + "\n"
        let actual = capture.text
        if actual != expected {
            if ProcessInfo.processInfo.environment["VMREADY_UPDATE_TRANSCRIPTS"] == "1" {
                try (header.map { $0 + "\n" }.joined() + actual).write(to: url, atomically: true, encoding: .utf8)
            }
            Issue.record("transcript \(name) differs:\n\(Self.diff(expected: expected, actual: actual))")
        }
    }

    enum Step {
        case input(String)
        case frame(String)
        case advance(String)
        case vmManager(String)
    }

    /// A report of VM manager connection HOST, as libvirt's would be:
    /// `;; vmmanager HOST connected HOSTNAME [NAME:MAC:running|shutoff ...]`,
    /// `;; vmmanager HOST down REASON...`, `;; vmmanager HOST started|resumed|stopped NAME:MAC`.
    /// A domain's UUID is made from its MAC (`00000000-0000-4000-8000-` and the MAC's hex).
    static func vmManagerEvent(_ line: String) throws -> VMManagerEvent {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 4 else { throw TranscriptError("bad vmmanager line: \(line)") }
        let host = words[2]
        func domain(_ text: String, state: DomainState? = nil) throws -> DomainRecord {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw TranscriptError("bad domain \(text) in: \(line)") }
            var rest = parts[1].split(separator: ":").map(String.init)
            var parsedState = state ?? .running
            if state == nil, rest.count == 7, let named = DomainState(rawValue: rest[6]) {
                parsedState = named
                rest.removeLast()
            }
            guard let mac = MACAddress(rest.joined(separator: ":")) else { throw TranscriptError("bad MAC in: \(line)") }
            let uuid = "00000000-0000-4000-8000-" + rest.joined()
            return DomainRecord(uuid: uuid, name: parts[0], state: parsedState, macs: [mac])
        }
        switch words[3] {
        case "connected":
            guard words.count >= 5 else { throw TranscriptError("bad vmmanager line: \(line)") }
            return .connected(host: host, hostname: words[4], domains: try words.dropFirst(5).map { try domain($0) })
        case "down":
            return .disconnected(host: host, reason: words.dropFirst(4).joined(separator: " "), retryInSeconds: 1)
        case "started", "resumed", "stopped":
            guard words.count == 5 else { throw TranscriptError("bad vmmanager line: \(line)") }
            let stopped = words[3] == "stopped"
            let lifecycle: DomainLifecycle = switch words[3] {
            case "started": .started(.booted)
            case "resumed": .resumed
            default: .stopped(.destroyed)
            }
            return .domain(host: host, lifecycle: lifecycle, domain: try domain(words[4], state: stopped ? .shutOff : .running))
        default:
            throw TranscriptError("bad vmmanager line: \(line)")
        }
    }

    /// The switch's MAC in every transcript (LLDP's Chassis ID).
    static let systemMAC = MACAddress(0x02, 0x56, 0x4d, 0x00, 0x00, 0x01)

    /// `;; frame hello|arp|garp|rarp|udp MAC [IP] on port P` (`hello` also takes `to MAC2`
    /// and `svid N`, see `hello`), or an LLDPDU from a neighbour
    /// whose chassis ID is MAC: `;; frame lldp MAC [name NAME] [port IFNAME] [ttl N] on port P`
    /// (defaults: no System Name, port `eth0`, TTL 120), `;; frame lldp-malformed MAC on port P`
    /// (an empty LLDPDU).
    static func frame(_ line: String) throws -> ([UInt8], Int) {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 7, words[words.count - 3] == "on", words[words.count - 2] == "port",
              let port = Int(words[words.count - 1]), let mac = MACAddress(words[3]) else {
            throw TranscriptError("bad frame line: \(line)")
        }
        if words[2] == "lldp" { return (try lldp(from: mac, options: Array(words[4..<(words.count - 3)]), line: line), port) }
        if words[2] == "hello", words.count > 7 { return (try hello(from: mac, options: Array(words[4..<(words.count - 3)]), line: line), port) }
        let ip = words.count == 8 ? IPv4Address(words[4]) : nil
        switch (words[2], ip) {
        case ("hello", nil): return (FrameBuilder(destination: .broadcast, source: mac).bytes, port)
        case ("lldp-malformed", nil):
            // To the nearest bridge, as LLDP agents send: the switch punts it to its control plane.
            var lldp = FrameBuilder(destination: LLDPAgentKind.nearestBridge.address, source: mac)
            lldp.etherType = 0x88cc
            return (lldp.bytes, port)
        case ("rarp", nil): return (FrameBuilder.migrationRARP(mac).bytes, port)
        case ("garp", let ip?): return (FrameBuilder.gratuitousARP(mac, ip: ip).bytes, port)
        case ("arp", let ip?):
            return (FrameBuilder.arp(operation: 1, senderMAC: mac, senderIP: ip, targetMAC: .zero,
                                     targetIP: IPv4Address(rawValue: ip.rawValue & 0xffff_ff00 | 1)).bytes, port)
        case ("udp", let ip?):
            return (FrameBuilder.udp(from: mac, to: .broadcast, sourceIP: ip,
                                     destinationIP: IPv4Address(rawValue: ip.rawValue | 0xff)).bytes, port)
        default: throw TranscriptError("bad frame line: \(line)")
        }
    }

    /// `;; frame hello MAC [to MAC2] [svid N] on port P`: the hello frame (broadcast unless
    /// `to`), inside an 802.1ad S-tag with VID N (PCP 0), as a vNIC sends it, when `svid`.
    static func hello(from mac: MACAddress, options: [String], line: String) throws -> [UInt8] {
        guard options.count % 2 == 0 else { throw TranscriptError("bad hello options: \(line)") }
        var frame = FrameBuilder(destination: .broadcast, source: mac)
        for index in stride(from: 0, to: options.count, by: 2) {
            let value = options[index + 1]
            switch options[index] {
            case "to":
                guard let destination = MACAddress(value) else { throw TranscriptError("bad to: \(line)") }
                frame.destination = destination
            case "svid":
                guard let svid = UInt16(value), (1...4094).contains(svid) else { throw TranscriptError("bad svid: \(line)") }
                frame.tags.insert((tpid: 0x88a8, tci: svid), at: 0)
            default: throw TranscriptError("bad hello option \(options[index]): \(line)")
            }
        }
        return frame.bytes
    }

    static func lldp(from mac: MACAddress, options: [String], line: String) throws -> [UInt8] {
        guard options.count % 2 == 0 else { throw TranscriptError("bad lldp options: \(line)") }
        var unit = LLDPDU(chassisID: .macAddress(mac), portID: .interfaceName("eth0"), timeToLive: 120)
        for index in stride(from: 0, to: options.count, by: 2) {
            let value = options[index + 1]
            switch options[index] {
            case "name": unit.tlvs.append(.systemName(LLDPText(value)))
            case "port": unit.portID = .interfaceName(LLDPText(value))
            case "ttl":
                guard let ttl = UInt16(value) else { throw TranscriptError("bad ttl: \(line)") }
                unit.timeToLive = ttl
            case "dcbx":
                guard value == "willing" || value == "notwilling" else { throw TranscriptError("bad dcbx: \(line)") }
                unit.tlvs += dcbxPeer(willing: value == "willing")
            default: throw TranscriptError("bad lldp option \(options[index]): \(line)")
            }
        }
        return try unit.frame(source: mac)
    }

    /// The TLVs `;; frame lldp ... dcbx willing|notwilling` adds, a DCBX peer's: ETS
    /// Configuration (priorities 0-2 in class 0, 3 in 1, 4-7 in 2 at 40/40/20%), an ETS
    /// Recommendation that differs from it (3 in class 1, the rest in 0, at 50/50%), PFC on
    /// priority 3 and FCoE at priority 3, willing or not.
    static func dcbxPeer(willing: Bool) -> [LLDPTLV] {
        let ets = [UInt8](repeating: TransmissionSelection.enhancedTransmissionSelection, count: 3)
            + [UInt8](repeating: TransmissionSelection.strictPriority, count: 5)
        let configuration = ETSTables(priorityTrafficClass: [0, 0, 0, 1, 2, 2, 2, 2],
                                      trafficClassBandwidth: [40, 40, 20, 0, 0, 0, 0, 0], trafficClassAlgorithm: ets)
        let recommendation = ETSTables(priorityTrafficClass: [0, 0, 0, 1, 0, 0, 0, 0],
                                       trafficClassBandwidth: [50, 50, 0, 0, 0, 0, 0, 0], trafficClassAlgorithm: ets)
        let fcoe = ApplicationPriorityEntry(priority: 3, selector: ApplicationPriorityEntry.Selector.etherType, protocolID: 0x8906)
        return [
            .organizational(.etsConfiguration(ETSConfiguration(willing: willing, creditBasedShaper: false, maxTrafficClasses: 8,
                                                               tables: configuration))),
            .organizational(.etsRecommendation(recommendation)),
            .organizational(.pfcConfiguration(PFCConfiguration(willing: willing, macsecBypassCapability: false, capability: 8,
                                                               enabled: 1 << 3))),
            .organizational(.applicationPriority(ApplicationPriority(entries: [fcoe]))),
        ]
    }

    struct TranscriptError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func diff(expected: String, actual: String) -> String {
        let dir = FileManager.default.temporaryDirectory
        let a = dir.appending(path: "expected-\(UUID().uuidString)"), b = dir.appending(path: "actual-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        try? expected.write(to: a, atomically: true, encoding: .utf8)
        try? actual.write(to: b, atomically: true, encoding: .utf8)
        guard let result = try? ChildProcess.run("/usr/bin/diff",
                                                 ["-u", "--label", "expected", "--label", "actual", a.path, b.path]) else {
            return "(diff unavailable)\n--- expected\n\(expected)\n--- actual\n\(actual)"
        }
        return result.stdout
    }
}
