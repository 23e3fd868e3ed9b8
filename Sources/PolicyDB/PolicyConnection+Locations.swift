import Foundation
import Frames

/// The data-centre view: which switch sees which VM, and the switches themselves.
extension PolicyConnection {
    /// Records where a VM is, by MAC: a VM that migrated from another switch moves its row
    /// here. `since` is kept when the switch and port are unchanged (a refresh is no move).
    public func recordLocation(_ location: VMLocation) throws(PolicyDBError) {
        if let problem = location.validate() { throw .invalid("location of \(location.mac): \(problem)") }
        try execute("""
            INSERT INTO vm_locations (mac, name, switch_id, port, vlan, since)
            VALUES ($1, $2, $3, $4, $5, to_timestamp($6::float8))
            ON CONFLICT (mac) DO UPDATE SET name = EXCLUDED.name, switch_id = EXCLUDED.switch_id,
                port = EXCLUDED.port, vlan = EXCLUDED.vlan,
                since = CASE WHEN vm_locations.switch_id = EXCLUDED.switch_id AND vm_locations.port = EXCLUDED.port
                             THEN vm_locations.since ELSE EXCLUDED.since END
            """, [location.mac.description, location.name, location.switchID, location.port,
                  location.vlan.map { String($0) }, String(location.since.timeIntervalSince1970)])
    }

    /// Drops the VM's row if it is still `switchID`'s: after a migration the row belongs to
    /// the new switch, and the old one's late removal must not delete it. True if removed.
    @discardableResult
    public func removeLocation(mac: MACAddress, switchID: String) throws(PolicyDBError) -> Bool {
        try execute("DELETE FROM vm_locations WHERE mac = $1 AND switch_id = $2 RETURNING mac",
                    [mac.description, switchID]).count > 0
    }

    /// Locations, all or one VM's (by MAC or name; a UUID is not recorded with locations),
    /// ordered by switch, port and MAC.
    public func locations(matching key: VMKey?) throws(PolicyDBError) -> CheckedRows<VMLocation> {
        let select = "SELECT \(PolicyRowDecoder.locationColumns) FROM vm_locations"
        let order = " ORDER BY switch_id, port, mac"
        let rows: PGRows
        switch key {
        case nil: rows = try execute(select + order)
        case .mac(let mac): rows = try execute(select + " WHERE mac = $1" + order, [mac.description])
        case .name(let name): rows = try execute(select + " WHERE name = $1" + order, [name])
        case .uuid: throw .invalid("VM locations are found by MAC or name, not by UUID")
        }
        return PolicyRowDecoder.check(rows.rows, PolicyRowDecoder.location)
    }

    /// Marks this switch alive (its row created on first use).
    public func touchSwitch(id: String, hostname: String) throws(PolicyDBError) {
        if let problem = PolicyNames.problem(id, what: "switch ID") { throw .invalid(problem) }
        try execute("""
            INSERT INTO switches (id, hostname, last_seen) VALUES ($1, $2, now())
            ON CONFLICT (id) DO UPDATE SET hostname = EXCLUDED.hostname, last_seen = now()
            """, [id, hostname])
    }

    /// The switches and when each was last seen.
    public func switches() throws(PolicyDBError) -> [(id: String, hostname: String, lastSeen: Date)] {
        try execute("SELECT id, hostname, extract(epoch from last_seen)::float8 FROM switches ORDER BY id").rows.compactMap { row in
            guard let id = row[0], let seconds = row[2].flatMap({ Double($0) }) else { return nil }
            return (id, row[1] ?? "", Date(timeIntervalSince1970: seconds))
        }
    }
}
