import Foundation
import FrameTestSupport
import Frames
import Testing

/// `--attach P=file:PATH` replays captures (merged by timestamp, before the first command)
/// and `--capture DIR` records every port's egress as pcap files that tshark reads.
@Suite struct ReplayCaptureBinaryTests {
    static let a = "02:00:00:00:00:01", b = "02:00:00:00:00:02"

    /// A classic pcap file (microsecond timestamps, Ethernet) holding `frames`.
    static func pcap(_ frames: [(seconds: UInt32, bytes: [UInt8])]) -> Data {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        u32(0xa1b2_c3d4); u16(2); u16(4); u32(0); u32(0); u32(65535); u32(1)
        for f in frames {
            u32(f.seconds); u32(0); u32(UInt32(f.bytes.count)); u32(UInt32(f.bytes.count))
            d.append(contentsOf: f.bytes)
        }
        return d
    }

    /// A 60-byte frame of the local experimental EtherType 0x88b5.
    static func frame(to dst: String, from src: String) -> [UInt8] {
        func mac(_ s: String) -> [UInt8] { s.split(separator: ":").compactMap { UInt8($0, radix: 16) } }
        return mac(dst) + mac(src) + [0x88, 0xb5] + [UInt8](repeating: 0, count: 46)
    }

    static func tsharkSources(_ file: URL, filter: String = "not lldp", field: String = "eth.src") throws -> [String] {
        guard let tshark = PacketTools.tshark else {
            Issue.record("tshark is missing: run `make test`, which installs it")
            return []
        }
        return try PacketTools.output(tshark, ["-r", file.path, "-Y", filter, "-T", "fields", "-e", field])
            .split(separator: "\n").map(String.init)
    }

    @Test func replayLearnsFloodsForwardsAndCaptures() throws {
        let dir = FileManager.default.temporaryDirectory.appending(path: "vmready-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Port 1 hears A broadcast at t=1; port 2 hears B answer A at t=2, after A was learned.
        try Self.pcap([(1, Self.frame(to: "ff:ff:ff:ff:ff:ff", from: Self.a))]).write(to: dir.appending(path: "p1.pcap"))
        try Self.pcap([(2, Self.frame(to: Self.a, from: Self.b))]).write(to: dir.appending(path: "p2.pcap"))
        let capture = dir.appending(path: "egress")

        let r = try BinaryRunner.run([
            "--ports", "3", "--attach", "1=file:\(dir.path)/p1.pcap", "--attach", "2=file:\(dir.path)/p2.pcap",
            "--capture", capture.path, "--system-mac", "02:56:4d:00:00:01", "-c", "show mac-address-table",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  \(Self.a)        1        1    FWD\n"), "\(r.stdout)")
        #expect(r.stdout.contains("  \(Self.b)        1        2    FWD\n"), "\(r.stdout)")

        // The broadcast flooded to ports 2 and 3; the unicast went to port 1 only.
        #expect(try Self.tsharkSources(capture.appending(path: "port-1.pcap")) == [Self.b])
        #expect(try Self.tsharkSources(capture.appending(path: "port-2.pcap")) == [Self.a])
        #expect(try Self.tsharkSources(capture.appending(path: "port-3.pcap")) == [Self.a])
        // LLDP started with the replay (at its first frame, t=1): its fast start sent at t=1 and,
        // due before B's frame, at t=2 on every port; the switch stopping said goodbye (TTL 0).
        for port in 1...3 {
            #expect(try Self.tsharkSources(capture.appending(path: "port-\(port).pcap"), filter: "lldp", field: "lldp.time_to_live")
                == ["120", "120", "0"])
        }
    }

    @Test func missingCaptureFileIsAFlagError() throws {
        let r = try BinaryRunner.run(["--attach", "1=file:/nonexistent/in.pcap", "-c", "show vlan"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("vmready: "))
        #expect(r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
    }

    @Test func aTruncatedCaptureReplaysItsGoodFramesAndWarnsWithItsNumbers() throws {
        let dir = FileManager.default.temporaryDirectory.appending(path: "vmready-cut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var data = Self.pcap([(1, Self.frame(to: "ff:ff:ff:ff:ff:ff", from: Self.a)),
                              (2, Self.frame(to: "ff:ff:ff:ff:ff:ff", from: Self.b))])
        data.removeLast(20) // the second record's frame is cut: 40 of its 60 bytes are there
        let file = dir.appending(path: "cut.pcap")
        try data.write(to: file)
        let r = try BinaryRunner.run(["--attach", "1=file:\(file.path)", "-c", "show mac-address-table", "-c", "show logging"])
        let warning = "file:\(file.path): record 2 at byte 100 is truncated (caplen 60, 40 bytes left); "
            + "1 frame before it replayed, the rest of the file skipped"
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "vmready: warning: \(warning)\n")
        #expect(r.stdout.contains("  \(Self.a)        1        1    FWD\n"), "\(r.stdout)")
        #expect(r.stdout.contains("WARNING replay: \(warning)"), "\(r.stdout)")
    }

    @Test func aRawIPCaptureIsAFlagErrorNamingTheFilesLinkType() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "vmready-raw-\(UUID().uuidString).pcap")
        var data = Self.pcap([])
        data.replaceSubrange(20..<24, with: [101, 0, 0, 0])
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try BinaryRunner.run(["--attach", "1=file:\(file.path)", "-c", "show version"])
        #expect(r.status == 2)
        #expect(r.stderr == "vmready: file:\(file.path): link type 101 (RAW) is not Ethernet (1)\n")
    }

    @Test func longAttachmentsKeepTheInterfaceTableInColumns() throws {
        let dir = FileManager.default.temporaryDirectory.appending(path: "vmready-long-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let short = dir.appending(path: "a.pcap"), long = dir.appending(path: "esx-host-in-rack-12-vmnic0.pcap")
        try Self.pcap([(1, Self.frame(to: "ff:ff:ff:ff:ff:ff", from: Self.a))]).write(to: short)
        try Self.pcap([]).write(to: long)
        let r = try BinaryRunner.run(["--ports", "3", "--attach", "1=file:\(short.path)", "--attach", "2=file:\(long.path)",
                                      "-c", "configure terminal", "-c", "interface port 3", "-c", "switchport mode trunk",
                                      "-c", "switchport trunk allowed vlan 1,3,5,7,9,11,13,15,17,19,21,23,25",
                                      "-c", "description \"uplink\"", "-c", "end", "-c", "show interface"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        guard lines.count == 5 else {
            Issue.record("\(r.stdout)")
            return
        }
        // Every row's counters end where the header's do, and the rule matches the header.
        let rx = lines[0].distance(from: lines[0].startIndex, to: lines[0].range(of: "RX frames")!.upperBound)
        for row in lines[2...] {
            let chars = Array(row)
            #expect(chars.count > rx && chars[rx - 1].isNumber && chars[rx] == " ", "out of line: \(r.stdout)")
        }
        let dashes = lines[1].split(separator: " ").map(\.count)
        #expect(dashes[5] == 40, "the attachment column widens up to 40: \(lines[1])")
        #expect(lines[3].contains("file:..." + long.path.suffix(32)), "\(lines[3])")
        #expect(dashes[4] == 31, "the trunk column widens up to 31: \(lines[1])")
        #expect(lines[4].contains(" 1,3,5,7,9,11,13,15,17,19,21,...  "), "whole VLANs, then ...: \(lines[4])")
        #expect(lines[4].hasSuffix("uplink"))
    }

    @Test func aCaptureDirectoryThatCannotBeMadeSaysWhy() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "vmready-notadir-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try BinaryRunner.run(["--capture", file.path + "/egress", "-c", "show version"])
        #expect(r.status == 2)
        #expect(r.stderr == "vmready: \(file.path)/egress: cannot create directory: Not a directory\n")
    }
}
