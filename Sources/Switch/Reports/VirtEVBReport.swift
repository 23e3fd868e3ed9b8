import Console
import Protocols

/// `show virt evb [port P]`: each port that runs EVB, its profile, what its station sent
/// and the EVB TLV values in force (802.1Qbg D.2.13).
struct VirtEVBReport: ShowReport {
    struct Port: Encodable {
        var port: String
        /// The `virt evb profile N` it has.
        var profile: Int
        /// Whether the station's EVB TLV was heard, and whether it asked for reflective relay.
        var stationHeard: Bool
        var reflectiveRelayRequested: Bool
        /// The negotiated values; absent until the station is heard.
        var retries: Int?
        var retransmitExponent: Int?
        var resourceWaitDelay: Int?
        var reinitKeepAlive: Int?
        var reflectiveRelay: Bool
    }

    var ports: [Port]

    init(_ sw: VMreadySwitch, port only: Int?) {
        let s = sw.state.withLock { $0 }
        let snapshot = sw.evb.snapshot
        ports = s.evb.portProfiles.sorted(by: { $0.key < $1.key }).filter { only == nil || $0.key == only }.map { port, profile in
            let operational = snapshot.ports[port]?.operational ?? s.evbOperational(port: port)
            let station = snapshot.ports[port]?.station ?? s.evbStations[port]
            return Port(port: String(port), profile: profile, stationHeard: station != nil,
                        reflectiveRelayRequested: station?.stationStatus.contains(.reflectiveRelayRequested) == true,
                        retries: operational.map { Int($0.retries) }, retransmitExponent: operational.map { Int($0.retransmitExponent) },
                        resourceWaitDelay: operational.map { Int($0.resourceWaitDelay) },
                        reinitKeepAlive: operational.map { Int($0.reinitKeepAlive) }, reflectiveRelay: operational?.reflectiveRelay == true)
        }
    }

    var lines: [String] {
        guard !ports.isEmpty else { return ["No port runs EVB (interface port P / evb profile N)"] }
        let rows = ports.map { p -> [String] in
            let station = p.stationHeard ? (p.reflectiveRelayRequested ? "RR asked" : "heard") : "not heard"
            let values = [p.retries, p.retransmitExponent, p.resourceWaitDelay, p.reinitKeepAlive].map { $0.map(String.init) ?? "-" }
            return [p.port, String(p.profile), station] + values + [p.reflectiveRelay ? "on" : "off"]
        }
        return VMManagerReport.table(["Port", "Profile", "Station", "R", "RTE", "RWD", "RKA", "Reflective relay"], rows)
    }
}
