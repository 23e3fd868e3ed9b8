import Foundation

/// One announced change on channel `vmready_policy`: which table, which row (nil for a
/// whole table: TRUNCATE, or a payload the client cannot read, which it treats as "all").
public struct PolicyChange: Sendable, Hashable {
    public enum Table: Sendable, Hashable {
        case profiles, assignments, vsiTypes
        /// A table this version does not know (a newer peer's): everything is re-read.
        case other(String)
    }

    public var table: Table
    public var key: String?

    public init(table: Table, key: String?) {
        self.table = table
        self.key = key
    }

    /// Reads a trigger's payload, `{"table": "...", "key": "..."}`. Anyone with access may
    /// NOTIFY on the channel, so a payload that cannot be read means "something changed".
    public init(payload: String) {
        struct Payload: Decodable {
            var table: String
            var key: String?
        }
        guard let decoded = try? JSONDecoder().decode(Payload.self, from: Data(payload.utf8)) else {
            self.init(table: .other(PolicyNames.printable(payload)), key: nil)
            return
        }
        let table: Table = switch decoded.table {
        case "profiles": .profiles
        case "assignments": .assignments
        case "vsi_types": .vsiTypes
        default: .other(PolicyNames.printable(decoded.table))
        }
        self.init(table: table, key: decoded.key)
    }

    /// True when the VMs' profiles may have changed (re-resolve them).
    public var affectsAssignments: Bool {
        switch table {
        case .profiles, .assignments, .other: true
        case .vsiTypes: false
        }
    }

    /// True when the VSI type table the switch mirrors may have changed.
    public var affectsVSITypes: Bool {
        switch table {
        case .profiles, .vsiTypes, .other: true
        case .assignments: false
        }
    }
}
