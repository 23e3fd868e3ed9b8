import Foundation
import Frames

/// The switch's own MAC when none is given (`--system-mac`): a locally administered
/// unicast address derived from the machine's identity and the state directory, so it
/// stays the same across restarts and two switches on one machine (two state directories)
/// differ, as two real switches' burned-in addresses would.
enum SystemMAC {
    static func derived(stateDirectory: String?) -> MACAddress {
        let machine = (try? String(contentsOfFile: "/etc/machine-id", encoding: .utf8)) ?? ""
        let seed = machine.trimmingCharacters(in: .whitespacesAndNewlines) + "\u{0}" + (stateDirectory ?? "")
        // FNV-1a: stable across runs and Swift versions, unlike `Hasher`.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        // 02: locally administered, unicast.
        return MACAddress(rawValue: 0x0200_0000_0000 | (hash & 0x00ff_ffff_ffff))
    }
}
