import Foundation
import Frames

/// The frames two lldpads exchanged (Corpus/lldpad-evb.hex says how they were made), by name.
enum EVBCorpus {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Corpus/lldpad-evb.hex")
    static let station = MACAddress(0x02, 0x00, 0x00, 0x00, 0x51, 0x01)
    static let bridge = MACAddress(0x02, 0x00, 0x00, 0x00, 0xb7, 0x01)
    static let manager = VDPIdentifier(name: "mgr1")!

    /// Every frame, in the file's order.
    static let frames: [(name: String, bytes: [UInt8])] = {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { return nil }
            let hex = Array(parts[1])
            let bytes = stride(from: 0, to: hex.count - 1, by: 2).compactMap { UInt8(String(hex[$0...$0 + 1]), radix: 16) }
            return (String(parts[0]), bytes)
        }
    }()

    static func frame(_ name: String) -> [UInt8] { frames.first { $0.name == name }?.bytes ?? [] }

    /// The VSI ID lldpad sent for UUID a1412857-60f7-4ce1-e95a-2164943f53aN.
    static func uuid(_ n: Int) -> VDPIdentifier { VDPIdentifier(uuid: "a1412857-60f7-4ce1-e95a-2164943f53a\(n)")! }
}
