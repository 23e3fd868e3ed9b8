import Console

/// `show virt vsitypes`: the VSI types stations may associate, and what each applies.
struct VirtVSITypesReport: ShowReport {
    struct VSIType: Encodable {
        var typeID: Int
        var version: Int
        /// Absent when the type names no VLAN (its profile's, if any, applies).
        var vlan: Int?
        /// The VM profile it applies; absent when none.
        var profile: String?
    }

    var vsiTypes: [VSIType]

    init(_ s: SwitchState) {
        vsiTypes = s.evb.vsiTypes.sorted { $0.key < $1.key }.map { key, type in
            VSIType(typeID: key.id, version: key.version, vlan: type.vlan.map(Int.init), profile: type.profile)
        }
    }

    var lines: [String] {
        guard !vsiTypes.isEmpty else { return ["No VSI type is defined"] }
        let rows = vsiTypes.map { [String($0.typeID), String($0.version), $0.vlan.map(String.init) ?? "-", $0.profile ?? "-"] }
        return VMManagerReport.table(["Type ID", "Version", "VLAN", "Profile"], rows)
    }
}
