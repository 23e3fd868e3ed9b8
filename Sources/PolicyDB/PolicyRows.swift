import Foundation
import Frames

/// One VM assignment: the VM named by `key` gets `profile`.
public struct PolicyAssignment: Sendable, Hashable {
    public var key: VMKey
    public var profile: String

    public init(key: VMKey, profile: String) {
        self.key = key
        self.profile = profile
    }
}

/// One entry of the VSI type database (protocols.md): a VSI of type `typeID`, version
/// `version`, associated through VDP gets `profile`.
public struct VSITypeRow: Sendable, Hashable {
    /// VDP's VSI type ID is 24 bits, its version 8 bits.
    public static let typeIDRange = 0...0xff_ffff
    public static let versionRange = 0...0xff

    public var typeID: Int
    public var version: Int
    public var profile: String

    public init(typeID: Int, version: Int, profile: String) {
        self.typeID = typeID
        self.version = version
        self.profile = profile
    }

    /// Why the row cannot be used, or nil.
    public func validate() -> String? {
        if !Self.typeIDRange.contains(typeID) { return "type ID \(typeID) is not 0-16777215" }
        if !Self.versionRange.contains(version) { return "version \(version) is not 0-255" }
        return PolicyNames.problem(profile, what: "profile name")
    }
}

/// Where a VM is in the data centre: which switch sees its MAC, on which port, since when.
public struct VMLocation: Sendable, Hashable {
    public var mac: MACAddress
    public var name: String?
    public var switchID: String
    /// The switch's port as it names it: "1", or "1.2" for a vNIC channel.
    public var port: String
    public var vlan: UInt16?
    public var since: Date

    public init(mac: MACAddress, name: String?, switchID: String, port: String, vlan: UInt16?, since: Date) {
        self.mac = mac
        self.name = name
        self.switchID = switchID
        self.port = port
        self.vlan = vlan
        self.since = since
    }

    /// Why the location cannot be stored or used, or nil.
    public func validate() -> String? {
        if let name, let problem = PolicyNames.problem(name, what: "VM name") { return problem }
        if let problem = PolicyNames.problem(switchID, what: "switch ID") { return problem }
        if !Self.isPortName(port) { return "port \"\(PolicyNames.printable(port))\" is not N or N.M" }
        if let vlan, !PolicyProfile.vlanRange.contains(Int(vlan)) { return "VLAN \(vlan) is not 1-4094" }
        return nil
    }

    /// "N" or "N.M", decimal, at most 4 digits each.
    static func isPortName(_ port: String) -> Bool {
        let parts = port.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            (1...4).contains(part.utf8.count) && part.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }
    }
}

/// What `resolve` found: the profile that applies (nil: the VM is unassigned), which
/// assignment decided, and the bad rows met on the way (reported, never applied).
public struct PolicyResolution: Sendable, Hashable {
    public var profile: PolicyProfile?
    public var assignment: VMKey?
    public var badRows: [BadRow]

    public init(profile: PolicyProfile?, assignment: VMKey?, badRows: [BadRow]) {
        self.profile = profile
        self.assignment = assignment
        self.badRows = badRows
    }
}

/// Rows read from a table: the usable ones, and the ones skipped with why.
public struct CheckedRows<Row: Sendable>: Sendable {
    public var rows: [Row]
    public var badRows: [BadRow]

    public init(rows: [Row] = [], badRows: [BadRow] = []) {
        self.rows = rows
        self.badRows = badRows
    }
}
