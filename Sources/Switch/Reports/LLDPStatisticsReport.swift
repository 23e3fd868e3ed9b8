import Console
import Frames
import Protocols

/// `show lldp statistics [port P]`: 802.1AB's counters per port (the agent's frames and
/// TLVs, the neighbour table's changes).
struct LLDPStatisticsReport: ShowReport {
    struct Port: Encodable {
        var port: String
        var framesOut: Int
        var framesIn: Int
        var framesDiscarded: Int
        var framesIgnored: Int
        var tlvsUnrecognized: Int
        var remoteInserts: Int
        var remoteDeletes: Int
        /// Neighbours not stored because the table (or the port's share) was full.
        var remoteDropsTableFull: Int
        var remoteAgedOut: Int
    }

    var ports: [Port]

    init(_ view: LLDPAgent.Snapshot, ports: [Int]) {
        self.ports = ports.map { port in
            let c = view.counters[port] ?? LLDPAgent.Counters()
            let t = view.neighbors.counters[port] ?? LLDPNeighborTable<LLDPDU>.Counters()
            return Port(port: String(port), framesOut: c.framesOut, framesIn: c.framesIn, framesDiscarded: c.framesDiscarded,
                        framesIgnored: c.framesIgnored, tlvsUnrecognized: c.tlvsUnrecognized, remoteInserts: t.inserts,
                        remoteDeletes: t.deletes, remoteDropsTableFull: t.drops, remoteAgedOut: t.ageouts)
        }
    }

    var lines: [String] {
        var out = ["Port  Frames out   Frames in   Discarded     Ignored  TLVs unrecognised     Inserts     Deletes"
                    + "  Table full    Aged out",
                   "----  ----------  ----------  ----------  ----------  -----------------  ----------  ----------"
                    + "  ----------  ----------"]
        for p in ports {
            let cells = [p.framesOut, p.framesIn, p.framesDiscarded, p.framesIgnored].map { padLeft(String($0), 10) }
                + [padLeft(String(p.tlvsUnrecognized), 17)]
                + [p.remoteInserts, p.remoteDeletes, p.remoteDropsTableFull, p.remoteAgedOut].map { padLeft(String($0), 10) }
            out.append(pad(p.port, 4) + "  " + cells.joined(separator: "  "))
        }
        return out
    }
}
