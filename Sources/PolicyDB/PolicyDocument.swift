import Foundation
import SwitchTypes

/// Everything operators edit, as one JSON document: what `vmready policy export` writes and
/// `import` reads. Keys sorted and pretty printed, so two exports of the same policy are
/// the same bytes and diff well.
public struct PolicyDocument: Sendable, Hashable, Codable {
    public var profiles: [PolicyProfile]
    public var assignments: [PolicyAssignment]
    public var vsiTypes: [VSITypeRow]

    public init(profiles: [PolicyProfile] = [], assignments: [PolicyAssignment] = [], vsiTypes: [VSITypeRow] = []) {
        self.profiles = profiles
        self.assignments = assignments
        self.vsiTypes = vsiTypes
    }

    /// The first entry that cannot be imported, with why; nil when all can. An import is
    /// refused whole on one bad entry.
    public func validate() -> String? {
        var names = Set<String>()
        for profile in profiles {
            if let problem = profile.validate() { return "profile \(PolicyNames.printable(profile.name)): \(problem)" }
            if !names.insert(profile.name).inserted { return "profile \(profile.name) is listed twice" }
        }
        var keys = Set<VMKey>()
        for assignment in assignments {
            if let problem = PolicyNames.problem(assignment.profile, what: "profile name") { return "assignment \(assignment.key): \(problem)" }
            if case .name(let name) = assignment.key, let problem = PolicyNames.problem(name, what: "VM name") { return "assignment: \(problem)" }
            if !keys.insert(assignment.key).inserted { return "assignment \(assignment.key) is listed twice" }
        }
        var types = Set<[Int]>()
        for row in vsiTypes {
            if let problem = row.validate() { return "VSI type \(row.typeID) version \(row.version): \(problem)" }
            if !types.insert([row.typeID, row.version]).inserted { return "VSI type \(row.typeID) version \(row.version) is listed twice" }
        }
        return nil
    }

    /// The document as export writes it.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and integers cannot fail.
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// Reads a document; the error says where it is wrong. Entries are not validated here
    /// (`validate()` is), so a file with a bad entry can still be read and reported.
    public static func decode(_ data: Data) throws(PolicyDBError) -> PolicyDocument {
        do {
            return try JSONDecoder().decode(PolicyDocument.self, from: data)
        } catch let error as DecodingError {
            throw .invalid("not a policy document: \(Self.describe(error))")
        } catch {
            throw .invalid("not a policy document: \(error.localizedDescription)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        }
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context): return path(context)
        case .keyNotFound(let key, let context): return "\(path(context)) (missing \(key.stringValue))"
        @unknown default: return "\(error)"
        }
    }

    // MARK: JSON form

    enum CodingKeys: String, CodingKey {
        case profiles, assignments
        case vsiTypes = "vsi_types"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        profiles = try (container.decodeIfPresent([ProfileEntry].self, forKey: .profiles) ?? []).map(\.profile)
        assignments = try (container.decodeIfPresent([AssignmentEntry].self, forKey: .assignments) ?? []).map(\.assignment)
        vsiTypes = try (container.decodeIfPresent([VSITypeEntry].self, forKey: .vsiTypes) ?? []).map(\.row)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(profiles.map(ProfileEntry.init), forKey: .profiles)
        try container.encode(assignments.map(AssignmentEntry.init), forKey: .assignments)
        try container.encode(vsiTypes.map(VSITypeEntry.init), forKey: .vsiTypes)
    }
}

/// The JSON entries: field names as the CLI spells the options.
private struct ShapingEntry: Codable {
    var average: Int
    var burst: Int
    var peak: Int

    init(_ shaping: Shaping) {
        average = shaping.averageKbps
        burst = shaping.burstKBytes
        peak = shaping.peakKbps
    }

    var shaping: Shaping { Shaping(averageKbps: average, burstKBytes: burst, peakKbps: peak) }
}

private struct ProfileEntry: Codable {
    var name: String
    var vlan: Int
    var tagged: Bool
    var shaping: ShapingEntry?
    var eshaping: ShapingEntry?
    var acls: [Int]

    init(_ profile: PolicyProfile) {
        name = profile.name
        vlan = Int(profile.vlan)
        tagged = profile.tagged
        shaping = profile.shaping.map(ShapingEntry.init)
        eshaping = profile.egressShaping.map(ShapingEntry.init)
        acls = profile.acls
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        vlan = try container.decode(Int.self, forKey: .vlan)
        tagged = try container.decodeIfPresent(Bool.self, forKey: .tagged) ?? false
        shaping = try container.decodeIfPresent(ShapingEntry.self, forKey: .shaping)
        eshaping = try container.decodeIfPresent(ShapingEntry.self, forKey: .eshaping)
        acls = try container.decodeIfPresent([Int].self, forKey: .acls) ?? []
        guard (0...Int(UInt16.max)).contains(vlan) else {
            throw DecodingError.dataCorruptedError(forKey: .vlan, in: container, debugDescription: "VLAN \(vlan) is not 1-4094")
        }
    }

    var profile: PolicyProfile {
        PolicyProfile(name: name, vlan: UInt16(vlan), tagged: tagged, shaping: shaping?.shaping,
                      egressShaping: eshaping?.shaping, acls: acls)
    }
}

private struct AssignmentEntry: Codable {
    var kind: String
    var key: String
    var profile: String

    init(_ assignment: PolicyAssignment) {
        kind = assignment.key.kind
        key = assignment.key.key
        profile = assignment.profile
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(String.self, forKey: .kind)
        key = try container.decode(String.self, forKey: .key)
        profile = try container.decode(String.self, forKey: .profile)
        guard VMKey(kind: kind, key: key) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .key, in: container,
                                                   debugDescription: "\(kind) \"\(PolicyNames.printable(key))\" is not a canonical mac, uuid or name key")
        }
    }

    // Checked in init(from:).
    var assignment: PolicyAssignment { PolicyAssignment(key: VMKey(kind: kind, key: key) ?? .name(key), profile: profile) }
}

private struct VSITypeEntry: Codable {
    var typeID: Int
    var version: Int
    var profile: String

    enum CodingKeys: String, CodingKey {
        case typeID = "type_id"
        case version, profile
    }

    init(_ row: VSITypeRow) {
        typeID = row.typeID
        version = row.version
        profile = row.profile
    }

    var row: VSITypeRow { VSITypeRow(typeID: typeID, version: version, profile: profile) }
}
