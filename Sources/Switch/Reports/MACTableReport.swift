import Console
import Dataplane
import Frames
import SwitchTypes

/// `show mac-address-table [vlan V | port P | address MAC]`: the entries, by MAC then VLAN.
struct MACTableReport: ShowReport {
    struct Entry: Encodable {
        var mac: MACAddress
        var vlan: Int
        var port: String
        /// Configured (`mac-address-table static`), never aged out.
        var permanent: Bool
    }

    var entries: [Entry]

    init(_ entries: [MACTableEntry]) {
        self.entries = entries.map { Entry(mac: $0.mac, vlan: Int($0.vlan), port: $0.bridgePort.description, permanent: $0.isStatic) }
    }

    var lines: [String] {
        var out = ["     MAC address       VLAN     Port    State  Permanent",
                   "  -----------------  --------  -------  -----  ---------"]
        for e in entries {
            out.append("  \(e.mac)" + padLeft(String(e.vlan), 9) + padLeft(e.port, 9) + "    FWD" + (e.permanent ? "       P" : ""))
        }
        return out
    }
}

/// `show mac-address-table count`: what the table holds, its limits, and what they cost
/// (evictions when full, stations a port's limit kept out).
struct MACTableCountReport: ShowReport {
    struct PortLimit: Encodable {
        var port: String
        var dynamicEntries: Int
        var limit: Int
    }

    var totalEntries: Int
    var dynamicEntries: Int
    var staticEntries: Int
    var dynamicEntryLimit: Int
    var evictedTableFull: UInt64
    var notLearnedPortLimit: UInt64
    var notLearnedTableFull: UInt64
    var portLimits: [PortLimit]

    init(_ sw: VMreadySwitch, _ entries: [MACTableEntry]) {
        let statics = entries.filter(\.isStatic).count
        let (limit, limits) = sw.state.withLock { s in (s.bridge.macLimit, s.macLimits) }
        let table = sw.dataplane.withPipeline { MACTableStatistics($0.macTable) }
        totalEntries = entries.count
        dynamicEntries = entries.count - statics
        staticEntries = statics
        dynamicEntryLimit = limit
        evictedTableFull = table.evictedCount
        notLearnedPortLimit = table.portLimitRefusedCount
        notLearnedTableFull = table.refusedLearnCount
        portLimits = limits.map { port, portLimit in
            PortLimit(port: port.description, dynamicEntries: entries.filter { !$0.isStatic && $0.bridgePort == port }.count,
                      limit: portLimit)
        }
    }

    var lines: [String] {
        var out = ["Total MAC entries: \(totalEntries) (\(dynamicEntries) dynamic, \(staticEntries) static)",
                   "Dynamic entry limit: \(dynamicEntryLimit)",
                   "Evicted (table full): \(evictedTableFull)",
                   "Not learned (port limit): \(notLearnedPortLimit)"]
        if notLearnedTableFull > 0 { out.append("Not learned (table full): \(notLearnedTableFull)") }
        guard !portLimits.isEmpty else { return out }
        out += ["Port  Dynamic    Limit", "----  -------  -------"]
        for p in portLimits { out.append(pad(p.port, 4) + padLeft(String(p.dynamicEntries), 9) + padLeft(String(p.limit), 9)) }
        return out
    }
}
