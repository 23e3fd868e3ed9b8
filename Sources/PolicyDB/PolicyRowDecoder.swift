import Foundation
import Frames
import SwitchTypes

/// Turns rows as text (what libpq returns) into checked values. Every row comes from a
/// table operators may edit by hand, so each field is parsed, never trusted, and a row
/// that fails says why instead of being half used.
enum PolicyRowDecoder {
    /// The columns `profile(_:)` reads, in order, for SELECT lists (prefix with a table alias).
    static func profileColumns(_ alias: String) -> String {
        let p = alias
        return """
            \(p).name, \(p).vlan, \(p).tagged, \(p).shaping_average, \(p).shaping_burst, \(p).shaping_peak, \
            \(p).eshaping_average, \(p).eshaping_burst, \(p).eshaping_peak, array_to_string(\(p).acls, ',', 'NULL')
            """
    }

    static let profileColumnCount = 10

    /// A profile from `row[offset...]` (the columns of `profileColumns`), validated.
    static func profile(_ row: [String?], at offset: Int = 0) -> Result<PolicyProfile, BadRow> {
        let name = row[offset] ?? ""
        func bad(_ reason: String) -> Result<PolicyProfile, BadRow> {
            .failure(BadRow(table: "profiles", key: PolicyNames.printable(name), reason: reason))
        }
        guard let vlanText = row[offset + 1], let vlan = Int(vlanText) else { return bad("VLAN missing or not a number") }
        guard (0...Int(UInt16.max)).contains(vlan) else { return bad("VLAN \(vlan) is not 1-4094") }
        let tagged = row[offset + 2] == "t"
        let shaping: Shaping?
        let egress: Shaping?
        switch self.shaping(row[(offset + 3)...(offset + 5)]) {
        case .success(let value): shaping = value
        case .failure(let reason): return bad("shaping: \(reason.text)")
        }
        switch self.shaping(row[(offset + 6)...(offset + 8)]) {
        case .success(let value): egress = value
        case .failure(let reason): return bad("eshaping: \(reason.text)")
        }
        guard let acls = self.acls(row[offset + 9] ?? "") else { return bad("ACL list holds a NULL or a non-number") }
        let profile = PolicyProfile(name: name, vlan: UInt16(vlan), tagged: tagged, shaping: shaping, egressShaping: egress, acls: acls)
        if let problem = profile.validate() { return bad(problem) }
        return .success(profile)
    }

    struct Reason: Error {
        let text: String
    }

    /// Average, burst, peak: all three or none.
    static func shaping(_ fields: ArraySlice<String?>) -> Result<Shaping?, Reason> {
        let values = fields.map { $0.flatMap { Int($0) } }
        if fields.allSatisfy({ $0 == nil }) { return .success(nil) }
        guard values.count == 3, let average = values[0], let burst = values[1], let peak = values[2] else {
            return .failure(Reason(text: "average, burst and peak must all be set or all be NULL"))
        }
        return .success(Shaping(averageKbps: average, burstKBytes: burst, peakKbps: peak))
    }

    /// `array_to_string(acls, ',', 'NULL')`: "" or "1,2,3"; nil when an element is NULL or
    /// not a number.
    static func acls(_ text: String) -> [Int]? {
        if text.isEmpty { return [] }
        var out: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Int(part) else { return nil }
            out.append(value)
        }
        return out
    }

    /// The profile's columns as statement parameters (name first), in table order.
    static func parameters(_ profile: PolicyProfile) -> [String?] {
        [profile.name, String(profile.vlan), profile.tagged ? "true" : "false",
         profile.shaping.map { String($0.averageKbps) }, profile.shaping.map { String($0.burstKBytes) }, profile.shaping.map { String($0.peakKbps) },
         profile.egressShaping.map { String($0.averageKbps) }, profile.egressShaping.map { String($0.burstKBytes) },
         profile.egressShaping.map { String($0.peakKbps) },
         "{" + profile.acls.map(String.init).joined(separator: ",") + "}"]
    }

    /// An assignment row: kind, key, profile.
    static func assignment(_ row: [String?]) -> Result<PolicyAssignment, BadRow> {
        let kind = row[0] ?? "", key = row[1] ?? "", profile = row[2] ?? ""
        guard let vmKey = VMKey(kind: kind, key: key) else {
            return .failure(BadRow(table: "assignments", key: "\(PolicyNames.printable(kind)) \(PolicyNames.printable(key))",
                                   reason: "not a canonical key (mac aa:bb:cc:dd:ee:ff, uuid in lower case, or a valid name)"))
        }
        return .success(PolicyAssignment(key: vmKey, profile: profile))
    }

    /// A VSI type row: type_id, version, profile.
    static func vsiType(_ row: [String?]) -> Result<VSITypeRow, BadRow> {
        let key = "\(row[0] ?? "NULL") \(row[1] ?? "NULL")"
        guard let typeID = row[0].flatMap({ Int($0) }), let version = row[1].flatMap({ Int($0) }) else {
            return .failure(BadRow(table: "vsi_types", key: PolicyNames.printable(key), reason: "type ID or version is not a number"))
        }
        let vsiType = VSITypeRow(typeID: typeID, version: version, profile: row[2] ?? "")
        if let problem = vsiType.validate() { return .failure(BadRow(table: "vsi_types", key: key, reason: problem)) }
        return .success(vsiType)
    }

    /// The columns `location(_:)` reads.
    static let locationColumns = "mac, name, switch_id, port, vlan, extract(epoch from since)::float8"

    static func location(_ row: [String?]) -> Result<VMLocation, BadRow> {
        let macText = row[0] ?? ""
        func bad(_ reason: String) -> Result<VMLocation, BadRow> {
            .failure(BadRow(table: "vm_locations", key: PolicyNames.printable(macText), reason: reason))
        }
        guard let mac = MACAddress(macText) else { return bad("not a MAC address") }
        var vlan: UInt16?
        if let text = row[4] {
            guard let value = UInt16(text) else { return bad("VLAN \(PolicyNames.printable(text)) is not 1-4094") }
            vlan = value
        }
        guard let seconds = row[5].flatMap({ Double($0) }), seconds.isFinite else { return bad("since is not a time") }
        let location = VMLocation(mac: mac, name: row[1], switchID: row[2] ?? "", port: row[3] ?? "", vlan: vlan,
                                  since: Date(timeIntervalSince1970: seconds))
        if let problem = location.validate() { return bad(problem) }
        return .success(location)
    }

    /// Splits rows into the usable and the bad.
    static func check<Row>(_ rows: [[String?]], _ decode: ([String?]) -> Result<Row, BadRow>) -> CheckedRows<Row> {
        var out = CheckedRows<Row>()
        for row in rows {
            switch decode(row) {
            case .success(let value): out.rows.append(value)
            case .failure(let bad): out.badRows.append(bad)
            }
        }
        return out
    }
}
