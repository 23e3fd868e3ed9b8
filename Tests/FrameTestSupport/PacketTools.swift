import Foundation
import TestSupport

/// tshark and tcpdump (dissectors nobody on this team wrote), as the tests run them on
/// capture files the tests write.
public enum PacketTools {
    public static let tshark = locate("tshark")
    public static let tcpdump = locate("tcpdump")

    static func locate(_ name: String) -> String? {
        ["/usr/bin/" + name, "/usr/sbin/" + name].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` with `arguments`: its exit status and standard output (standard error
    /// is discarded: tshark warns about running as root there).
    public static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(tool, arguments)
        return (result.status, result.stdout)
    }

    /// The standard output of `tool` run with `arguments`; throws when it fails.
    public static func output(_ tool: String, _ arguments: [String]) throws -> String {
        let (status, output) = try run(tool, arguments)
        guard status == 0 else { throw ToolFailure(description: "\(tool) \(arguments) exited with \(status)") }
        return output
    }

    public struct ToolFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A classic pcap file (microsecond timestamps, Ethernet) holding `frames`, the n-th at n seconds.
    public static func pcap(_ frames: [[UInt8]]) -> Data {
        func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var bytes = le32(0xa1b2_c3d4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(65535) + le32(1)
        for (index, frame) in frames.enumerated() {
            bytes += le32(UInt32(index + 1)) + le32(0) + le32(UInt32(frame.count)) + le32(UInt32(frame.count)) + frame
        }
        return Data(bytes)
    }
}
