import Foundation
import Frames

/// The frames two lldpads exchanged, from FramesTests/Corpus/lldpad-evb.hex (which says how
/// they were made), by name: what the bridge side must accept and answer byte for byte.
public enum LLDPadEVBFrames {
    public static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appending(path: "../FramesTests/Corpus/lldpad-evb.hex").standardized
    public static let station = MACAddress(0x02, 0x00, 0x00, 0x00, 0x51, 0x01)
    public static let bridge = MACAddress(0x02, 0x00, 0x00, 0x00, 0xb7, 0x01)

    public static let frames: [String: [UInt8]] = {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [:] }
        var frames: [String: [UInt8]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { continue }
            let hex = Array(parts[1])
            frames[String(parts[0])] = stride(from: 0, to: hex.count - 1, by: 2).compactMap {
                UInt8(String(hex[$0...$0 + 1]), radix: 16)
            }
        }
        return frames
    }()

    public static func frame(_ name: String) -> [UInt8] { frames[name] ?? [] }

    /// The ECPDU of a captured ECP frame.
    public static func ecp(_ name: String) throws -> ECPDU { try ECPDU(decodingFrame: frame(name)) }

    /// The station's EVB TLV of a captured LLDP frame.
    public static func evb(_ name: String) throws -> EVBTLV? {
        EVBTLV.first(in: try LLDPDU(decoding: Array(frame(name).dropFirst(14))).tlvs)
    }
}
