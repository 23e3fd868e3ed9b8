import Console
import Protocols

/// `show ecp [port P]`: the Edge Control Protocol's counters of each port that runs EVB.
struct ECPReport: ShowReport {
    struct Port: Encodable {
        var port: String
        var requestsOut: Int
        var requestsIn: Int
        var acksOut: Int
        var acksIn: Int
        var retries: Int
        var timeouts: Int
        var duplicates: Int
        var malformed: Int
    }

    var ports: [Port]

    init(_ sw: VMreadySwitch, port only: Int?) {
        ports = sw.evb.snapshot.ports.sorted(by: { $0.key < $1.key }).filter { only == nil || $0.key == only }.map { port, p in
            Port(port: String(port), requestsOut: p.ecp.requestsOut, requestsIn: p.ecp.requestsIn, acksOut: p.ecp.acksOut,
                 acksIn: p.ecp.acksIn, retries: p.ecp.retries, timeouts: p.ecp.timeouts, duplicates: p.ecp.duplicates,
                 malformed: p.ecp.malformed)
        }
    }

    var lines: [String] {
        guard !ports.isEmpty else { return ["No port runs ECP (interface port P / evb profile N)"] }
        let rows = ports.map { p in
            [p.port] + [p.requestsOut, p.requestsIn, p.acksOut, p.acksIn, p.retries, p.timeouts, p.duplicates, p.malformed].map(String.init)
        }
        return VMManagerReport.table(["Port", "TX requests", "RX requests", "TX acks", "RX acks", "Retries", "Timeouts",
                                      "Duplicates", "Malformed"], rows)
    }
}
