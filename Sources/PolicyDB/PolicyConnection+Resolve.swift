import Frames

extension PolicyConnection {
    /// The profile for a VM, in one query. Precedence: an assignment by UUID, then by MAC,
    /// then by name (the most specific identity wins: names are reused, UUIDs are not). The
    /// most specific assignment found decides: when its profile is bad the VM resolves to
    /// no profile (reported), never to a less specific assignment's profile, which the
    /// operator has overridden.
    public func resolve(mac: MACAddress?, name: String?, uuid: String?) throws(PolicyDBError) -> PolicyResolution {
        let uuidKey = uuid.flatMap(VMKey.canonicalUUID)
        guard mac != nil || name != nil || uuidKey != nil else {
            return PolicyResolution(profile: nil, assignment: nil, badRows: [])
        }
        let rows = try execute("""
            SELECT a.kind, a.key, a.profile, \(PolicyRowDecoder.profileColumns("p"))
            FROM assignments a JOIN profiles p ON p.name = a.profile
            WHERE (a.kind = 'uuid' AND a.key = $1) OR (a.kind = 'mac' AND a.key = $2) OR (a.kind = 'name' AND a.key = $3)
            ORDER BY CASE a.kind WHEN 'uuid' THEN 0 WHEN 'mac' THEN 1 ELSE 2 END
            LIMIT 1
            """, [uuidKey, mac?.description, name])
        guard let row = rows.rows.first else { return PolicyResolution(profile: nil, assignment: nil, badRows: []) }
        let key: VMKey
        switch PolicyRowDecoder.assignment(Array(row[0...2])) {
        case .success(let assignment): key = assignment.key
        case .failure(let bad): return PolicyResolution(profile: nil, assignment: nil, badRows: [bad])
        }
        switch PolicyRowDecoder.profile(row, at: 3) {
        case .success(let profile): return PolicyResolution(profile: profile, assignment: key, badRows: [])
        case .failure(let bad): return PolicyResolution(profile: nil, assignment: key, badRows: [bad])
        }
    }
}
