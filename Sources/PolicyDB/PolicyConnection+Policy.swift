/// Profiles, assignments and VSI types: what `vmready policy` edits and the switch reads.
extension PolicyConnection {
    /// Adds `profile`, or replaces the profile of that name (its assignments stay).
    public func putProfile(_ profile: PolicyProfile) throws(PolicyDBError) {
        if let problem = profile.validate() { throw .invalid("profile \(PolicyNames.printable(profile.name)): \(problem)") }
        try execute("""
            INSERT INTO profiles (name, vlan, tagged, shaping_average, shaping_burst, shaping_peak,
                                  eshaping_average, eshaping_burst, eshaping_peak, acls)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::integer[])
            ON CONFLICT (name) DO UPDATE SET vlan = EXCLUDED.vlan, tagged = EXCLUDED.tagged,
                shaping_average = EXCLUDED.shaping_average, shaping_burst = EXCLUDED.shaping_burst,
                shaping_peak = EXCLUDED.shaping_peak, eshaping_average = EXCLUDED.eshaping_average,
                eshaping_burst = EXCLUDED.eshaping_burst, eshaping_peak = EXCLUDED.eshaping_peak, acls = EXCLUDED.acls
            """, PolicyRowDecoder.parameters(profile))
    }

    /// Removes a profile with its assignments and VSI types (ON DELETE CASCADE: an
    /// assignment to nothing would only be a bad row later).
    public func removeProfile(_ name: String) throws(PolicyDBError) {
        let rows = try execute("DELETE FROM profiles WHERE name = $1 RETURNING name", [name])
        if rows.count == 0 { throw .notFound("no profile \(PolicyNames.printable(name))") }
    }

    /// Assigns the VM named by `key` to `profile` (replacing its assignment by that key).
    public func assign(_ key: VMKey, profile: String) throws(PolicyDBError) {
        if let problem = PolicyNames.problem(profile, what: "profile name") { throw .invalid(problem) }
        do throws(PolicyDBError) {
            try execute("""
                INSERT INTO assignments (kind, key, profile) VALUES ($1, $2, $3)
                ON CONFLICT (kind, key) DO UPDATE SET profile = EXCLUDED.profile
                """, [key.kind, key.key, profile])
        } catch .statement(_, sqlState: .some("23503")) {
            throw .notFound("no profile \(profile)")
        }
    }

    public func unassign(_ key: VMKey) throws(PolicyDBError) {
        let rows = try execute("DELETE FROM assignments WHERE kind = $1 AND key = $2 RETURNING key", [key.kind, key.key])
        if rows.count == 0 { throw .notFound("no assignment for \(key.kind) \(key.key)") }
    }

    /// Adds a VSI type (or points an existing type and version at another profile).
    public func putVSIType(_ row: VSITypeRow) throws(PolicyDBError) {
        if let problem = row.validate() { throw .invalid("VSI type \(row.typeID) version \(row.version): \(problem)") }
        do throws(PolicyDBError) {
            try execute("""
                INSERT INTO vsi_types (type_id, version, profile) VALUES ($1, $2, $3)
                ON CONFLICT (type_id, version) DO UPDATE SET profile = EXCLUDED.profile
                """, [String(row.typeID), String(row.version), row.profile])
        } catch .statement(_, sqlState: .some("23503")) {
            throw .notFound("no profile \(row.profile)")
        }
    }

    public func removeVSIType(typeID: Int, version: Int) throws(PolicyDBError) {
        let rows = try execute("DELETE FROM vsi_types WHERE type_id = $1 AND version = $2 RETURNING type_id",
                               [String(typeID), String(version)])
        if rows.count == 0 { throw .notFound("no VSI type \(typeID) version \(version)") }
    }

    // MARK: Reading

    /// Every profile, by name; bad rows reported apart.
    public func profiles() throws(PolicyDBError) -> CheckedRows<PolicyProfile> {
        let rows = try execute("SELECT \(PolicyRowDecoder.profileColumns("p")) FROM profiles p ORDER BY p.name")
        return PolicyRowDecoder.check(rows.rows) { PolicyRowDecoder.profile($0) }
    }

    /// Every assignment, by kind and key; bad rows reported apart.
    public func assignments() throws(PolicyDBError) -> CheckedRows<PolicyAssignment> {
        let rows = try execute("SELECT kind, key, profile FROM assignments ORDER BY kind, key")
        return PolicyRowDecoder.check(rows.rows, PolicyRowDecoder.assignment)
    }

    /// The VSI type database with the profiles it names: what the switch mirrors in memory
    /// for VDP. A type whose profile is bad is skipped with it.
    public func vsiTypes() throws(PolicyDBError) -> VSITypeTable {
        let rows = try execute("""
            SELECT v.type_id, v.version, v.profile, \(PolicyRowDecoder.profileColumns("p"))
            FROM vsi_types v JOIN profiles p ON p.name = v.profile ORDER BY v.type_id, v.version
            """)
        var table = VSITypeTable()
        var reported = Set<BadRow>()
        for row in rows.rows {
            switch PolicyRowDecoder.vsiType(Array(row[0...2])) {
            case .failure(let bad):
                table.badRows.append(bad)
            case .success(let vsiType):
                switch PolicyRowDecoder.profile(row, at: 3) {
                case .success(let profile):
                    table.rows.append(vsiType)
                    table.profiles[profile.name] = profile
                case .failure(let bad):
                    if reported.insert(bad).inserted { table.badRows.append(bad) }
                    table.badRows.append(BadRow(table: "vsi_types", key: "\(vsiType.typeID) \(vsiType.version)",
                                                reason: "its profile \(PolicyNames.printable(vsiType.profile)) is bad"))
                }
            }
        }
        return table
    }

    // MARK: Export and import

    /// Everything operators edit, the bad rows left out (and returned to be reported).
    public func export() throws(PolicyDBError) -> (document: PolicyDocument, badRows: [BadRow]) {
        try transaction { () throws(PolicyDBError) in
            // One snapshot for the three reads.
            try execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let profiles = try profiles()
            let assignments = try assignments()
            let types = try execute("SELECT type_id, version, profile FROM vsi_types ORDER BY type_id, version")
            let vsiTypes = PolicyRowDecoder.check(types.rows, PolicyRowDecoder.vsiType)
            let document = PolicyDocument(profiles: profiles.rows, assignments: assignments.rows, vsiTypes: vsiTypes.rows)
            return (document, profiles.badRows + assignments.badRows + vsiTypes.badRows)
        }
    }

    /// Adds or replaces every entry of `document` in one transaction; nothing else is
    /// deleted. Refused whole when an entry is bad or names a profile that does not exist.
    public func importDocument(_ document: PolicyDocument) throws(PolicyDBError) {
        if let problem = document.validate() { throw .invalid("import refused: \(problem)") }
        do throws(PolicyDBError) {
            try transaction { () throws(PolicyDBError) in
                for profile in document.profiles { try putProfile(profile) }
                for assignment in document.assignments { try assign(assignment.key, profile: assignment.profile) }
                for row in document.vsiTypes { try putVSIType(row) }
            }
        } catch .notFound(let why) {
            throw .invalid("import refused: \(why)")
        }
    }
}

/// The VSI types with the profiles they name (by name), and the rows skipped.
public struct VSITypeTable: Sendable, Hashable {
    public var rows: [VSITypeRow] = []
    public var profiles: [String: PolicyProfile] = [:]
    public var badRows: [BadRow] = []

    public init(rows: [VSITypeRow] = [], profiles: [String: PolicyProfile] = [:], badRows: [BadRow] = []) {
        self.rows = rows
        self.profiles = profiles
        self.badRows = badRows
    }
}
