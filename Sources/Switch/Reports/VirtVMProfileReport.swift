import Console
import SwitchTypes
import Virtualization

/// `show virt vmprofile [NAME]`: each profile's VLAN, shaping, ACLs and the groups using it.
struct VirtVMProfileReport: ShowReport {
    struct Profile: Encodable {
        var name: String
        var vlan: Int?
        /// VM to switch.
        var shaping: ShapingValues?
        /// Switch to VM.
        var egressShaping: ShapingValues?
        var accessControlLists: [Int]
        var usedByVMGroups: [Int]
    }

    var vmProfiles: [Profile]
    private var only: String?

    enum CodingKeys: String, CodingKey { case vmProfiles }

    init(_ s: SwitchState, only: String?) {
        self.only = only
        vmProfiles = s.virt.profiles.values.sorted(by: { $0.name < $1.name }).filter { only == nil || only == $0.name }.map { p in
            Profile(name: p.name, vlan: p.vlan.map(Int.init), shaping: p.shaping.map(ShapingValues.init),
                    egressShaping: p.egressShaping.map(ShapingValues.init), accessControlLists: p.acls,
                    usedByVMGroups: s.virt.groups.values.filter { $0.profile == p.name }.map(\.number).sorted())
        }
    }

    var lines: [String] {
        var out: [String] = []
        for p in vmProfiles {
            out.append("VM profile \(p.name)")
            out.append("    VLAN: " + (p.vlan.map(String.init) ?? "none"))
            out.append("    shaping (VM to switch): " + (p.shaping?.text ?? "none"))
            out.append("    eshaping (switch to VM): " + (p.egressShaping?.text ?? "none"))
            out.append("    access-control: " + (p.accessControlLists.isEmpty ? "none" : p.accessControlLists.map(String.init).joined(separator: ", ")))
            out.append("    used by VM group: " + (p.usedByVMGroups.isEmpty ? "none" : p.usedByVMGroups.map(String.init).joined(separator: ", ")))
        }
        if out.isEmpty { out.append(only.map { "VM profile \($0) does not exist" } ?? "No VM profiles are configured") }
        return out
    }
}

/// A shaping (bandwidth) setting in JSON output.
struct ShapingValues: Encodable {
    var averageKbps: Int
    var burstKBytes: Int
    var peakKbps: Int

    init(_ shaping: Shaping) {
        averageKbps = shaping.averageKbps
        burstKBytes = shaping.burstKBytes
        peakKbps = shaping.peakKbps
    }

    var text: String { "average \(averageKbps) kbit/s, burst \(burstKBytes) kbytes, peak \(peakKbps) kbit/s" }
}
