import Foundation
import PolicyDB
import SwitchTypes

// What each `vmready policy` subcommand does once connected.

extension PolicyProfileAddCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        try connection.putProfile(profile)
        return PolicyOutput()
    }
}

extension PolicyProfileRemoveCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        try connection.removeProfile(name)
        return PolicyOutput()
    }
}

extension PolicyAssignCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        guard let key = VMKey(parsing: vm) else { throw .invalid("'\(vm)' is not a MAC address, a UUID or a VM name") }
        try connection.assign(key, profile: profile)
        return PolicyOutput()
    }
}

extension PolicyUnassignCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        guard let key = VMKey(parsing: vm) else { throw .invalid("'\(vm)' is not a MAC address, a UUID or a VM name") }
        try connection.unassign(key)
        return PolicyOutput()
    }
}

extension PolicyVSITypeAddCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        try connection.putVSIType(VSITypeRow(typeID: typeID, version: version, profile: profile))
        return PolicyOutput()
    }
}

extension PolicyVSITypeRemoveCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        try connection.removeVSIType(typeID: typeID, version: version)
        return PolicyOutput()
    }
}

extension PolicyListCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        let (document, badRows) = try connection.export()
        let text = json ? String(decoding: document.json(), as: UTF8.self) + "\n" : PolicyListing.text(document)
        return PolicyOutput(text: text, warnings: badRows.map(\.description))
    }
}

extension PolicyExportCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        let (document, badRows) = try connection.export()
        return PolicyOutput(text: String(decoding: document.json(), as: UTF8.self) + "\n", warnings: badRows.map(\.description))
    }
}

extension PolicyImportCommand {
    func run(on connection: PolicyConnection) throws(PolicyDBError) -> PolicyOutput {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw .invalid("cannot read \(file): \((error as NSError).localizedDescription)")
        }
        let document = try PolicyDocument.decode(data)
        try connection.importDocument(document)
        return PolicyOutput()
    }
}

/// `vmready policy list` as text: three tables with aligned columns.
enum PolicyListing {
    static func text(_ document: PolicyDocument) -> String {
        func shaping(_ value: Shaping?) -> String {
            value.map { "\($0.averageKbps)/\($0.burstKBytes)/\($0.peakKbps)" } ?? "-"
        }
        let profiles = document.profiles.map {
            [$0.name, String($0.vlan), $0.tagged ? "yes" : "no", shaping($0.shaping), shaping($0.egressShaping),
             $0.acls.isEmpty ? "-" : $0.acls.map(String.init).joined(separator: ",")]
        }
        let assignments = document.assignments.map { [$0.key.kind, $0.key.key, $0.profile] }
        let types = document.vsiTypes.map { [String($0.typeID), String($0.version), $0.profile] }
        return table("Profiles", ["Name", "VLAN", "Tagged", "Shaping", "EShaping", "ACLs"], profiles)
            + "\n" + table("Assignments", ["By", "VM", "Profile"], assignments)
            + "\n" + table("VSI types", ["Type ID", "Version", "Profile"], types)
    }

    private static func table(_ title: String, _ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var out = "\(title) (\(rows.count)):\n"
        if rows.isEmpty { return out }
        out += line(header) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
