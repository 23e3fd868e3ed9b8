import Console
import Protocols

/// `show lldp port [P]`: each port's admin and operational status, how many neighbours
/// it has heard and its frame counters. `show lldp` ends with the same table.
struct LLDPPortReport: ShowReport {
    struct Port: Encodable {
        var port: String
        /// `tx_rx`, `tx_only`, `rx_only` or `disabled`, as configured.
        var adminStatus: String
        var linkUp: Bool
        var remoteDevices: Int
        var framesOut: Int
        var framesIn: Int
    }

    var ports: [Port]

    init(_ view: LLDPAgent.Snapshot, ports: [Int]) {
        let counts = Dictionary(grouping: view.neighbors.entries.keys, by: \.port).mapValues(\.count)
        self.ports = ports.map { port in
            let p = view.settings.ports[port - 1]
            let c = view.counters[port] ?? LLDPAgent.Counters()
            return Port(port: String(port), adminStatus: p.adminStatus.rawValue, linkUp: p.isUp, remoteDevices: counts[port] ?? 0,
                        framesOut: c.framesOut, framesIn: c.framesIn)
        }
    }

    var lines: [String] { Self.lines(ports) }

    /// The table, also the end of `show lldp`.
    static func lines(_ ports: [Port]) -> [String] {
        var out = ["Port  Admin status  Link  Remote devices  Frames out   Frames in",
                   "----  ------------  ----  --------------  ----------  ----------"]
        for p in ports {
            out.append(pad(p.port, 4) + "  " + pad(p.adminStatus, 12) + "  " + pad(p.linkUp ? "up" : "down", 4)
                + "  " + padLeft(String(p.remoteDevices), 14) + "  " + padLeft(String(p.framesOut), 10) + "  "
                + padLeft(String(p.framesIn), 10))
        }
        return out
    }
}
