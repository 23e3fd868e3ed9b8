import Console
import Dataplane
import Foundation
import FrameTestSupport
import Frames
import Switch
import Testing
import SwitchTypes

/// Golden transcripts: `Tests/Transcripts/*.txt` hold the lines typed (after their prompt)
/// and the exact output. Each runs through a batch session in echo mode on a fresh switch
/// and must come out byte for byte; a failure prints a diff. Lines starting with `;;` at the
/// top describe the transcript and are not part of it. In the body, `;; frame KIND MAC [IP] on
/// port P` lines are traffic: the frame is received on port P (a memory port; the switch
/// clock is virtual and advances a second per frame) before the next line is typed.
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
            guard let m = line.prefixMatch(of: Self.promptPattern) else { return nil }
            return .input(String(line[m.range.upperBound...]))
        }
        #expect(steps.contains { if case .input = $0 { true } else { false } }, "\(name) has no input lines")

        let withTraffic = steps.contains { if case .frame = $0 { true } else { false } }
        let clock = VirtualClock(start: Timestamp(seconds: 1_763_700_000))
        var options = SwitchOptions()
        if withTraffic {
            for port in 1...options.portCount { options.attachments[port] = .memory(MemoryPort()) }
            options.clock = clock
        }
        let sw = try VMreadySwitch(options)
        let capture = Capture()
        let output = capture.output
        let batch = BatchSession(shell: try sw.shell(kind: .batch), options: BatchOptions(echo: true),
                                 stdout: output, stderr: output)
        var number = 0
        for step in steps {
            switch step {
            case .input(let line):
                number += 1
                _ = batch.runLine(line, number: number)
            case .frame(let line):
                output.flush()
                output.write(line + "\n")
                output.flush()
                let (frame, port) = try Self.frame(line)
                let bytes = frame.bytes
                clock.advance(seconds: 1)
                sw.dataplane.withPipeline { pipeline in
                    bytes.withUnsafeBytes { pipeline.process(frame: $0, ingressPort: port) }
                }
                sw.settle()
            }
        }
        output.flush()
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
    }

    /// `;; frame hello|lldp|arp|garp|rarp|udp MAC [IP] on port P`.
    static func frame(_ line: String) throws -> (FrameBuilder, Int) {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 7, words[words.count - 3] == "on", words[words.count - 2] == "port",
              let port = Int(words[words.count - 1]), let mac = MACAddress(words[3]) else {
            throw TranscriptError("bad frame line: \(line)")
        }
        let ip = words.count == 8 ? IPv4Address(words[4]) : nil
        switch (words[2], ip) {
        case ("hello", nil): return (FrameBuilder(destination: .broadcast, source: mac), port)
        case ("lldp", nil):
            // To the nearest bridge, as LLDP agents send: the switch punts it to its control plane.
            var lldp = FrameBuilder(destination: MACAddress(rawValue: 0x0180_c200_000e), source: mac)
            lldp.etherType = 0x88cc
            return (lldp, port)
        case ("rarp", nil): return (.migrationRARP(mac), port)
        case ("garp", let ip?): return (.gratuitousARP(mac, ip: ip), port)
        case ("arp", let ip?):
            return (.arp(operation: 1, senderMAC: mac, senderIP: ip, targetMAC: .zero,
                         targetIP: IPv4Address(rawValue: ip.rawValue & 0xffff_ff00 | 1)), port)
        case ("udp", let ip?):
            return (.udp(from: mac, to: .broadcast, sourceIP: ip, destinationIP: IPv4Address(rawValue: ip.rawValue | 0xff)), port)
        default: throw TranscriptError("bad frame line: \(line)")
        }
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        p.arguments = ["-u", "--label", "expected", "--label", "actual", a.path, b.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        do { try p.run() } catch { return "(diff unavailable)\n--- expected\n\(expected)\n--- actual\n\(actual)" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
