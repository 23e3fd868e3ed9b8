import Frames
import Protocols

/// The text of `show virt evb`, `show virt vsi` and `show ecp`, from the EVB agent's
/// snapshot (what runs) and the configuration (which profile a port has).
enum EVBReport {
    static func evb(_ sw: VMreadySwitch, port only: Int?) -> [String] {
        let s = sw.state.withLock { $0 }
        let snapshot = sw.evb.snapshot
        let ports = s.evb.portProfiles.keys.sorted().filter { only == nil || $0 == only }
        guard !ports.isEmpty else { return ["No port runs EVB (interface port P / evb profile N)"] }
        var rows: [[String]] = []
        for port in ports {
            let profile = s.evb.portProfiles[port]!
            let operational = snapshot.ports[port]?.operational ?? s.evbOperational(port: port)
            let station = snapshot.ports[port]?.station ?? s.evbStations[port]
            let asked = station.map { $0.stationStatus.contains(.reflectiveRelayRequested) ? "RR asked" : "heard" } ?? "not heard"
            rows.append([String(port), String(profile), asked,
                         operational.map { "\($0.retries)" } ?? "-", operational.map { "\($0.retransmitExponent)" } ?? "-",
                         operational.map { "\($0.resourceWaitDelay)" } ?? "-", operational.map { "\($0.reinitKeepAlive)" } ?? "-",
                         operational?.reflectiveRelay == true ? "on" : "off"])
        }
        return VMManagerReport.table(["Port", "Profile", "Station", "R", "RTE", "RWD", "RKA", "Reflective relay"], rows)
    }

    static func vsis(_ sw: VMreadySwitch, port: Int?, mac: MACAddress?, vlan: UInt16?) -> [String] {
        var rows: [[String]] = []
        for (number, snapshot) in sw.evb.snapshot.ports.sorted(by: { $0.key < $1.key }) where port == nil || number == port {
            for vsi in snapshot.vsis.sorted(by: { "\($0.id)" < "\($1.id)" }) {
                let filters = vsi.filters.filter { (mac == nil || $0.mac == mac) && (vlan == nil || $0.vid == vlan) }
                guard !filters.isEmpty || (mac == nil && vlan == nil) else { continue }
                let shown = filters.map { "\($0.mac)/\($0.vid)" }.joined(separator: ",")
                rows.append([String(number), vsi.state.rawValue, "\(vsi.typeID)v\(vsi.typeVersion)", "\(vsi.id)", shown,
                             "\(vsi.managerID)"])
            }
        }
        guard !rows.isEmpty else { return ["No VSI is associated"] }
        return VMManagerReport.table(["Port", "State", "Type", "VSI ID", "MAC/VID", "Manager ID"], rows)
    }

    static func ecp(_ sw: VMreadySwitch, port only: Int?) -> [String] {
        let snapshot = sw.evb.snapshot
        let rows = snapshot.ports.sorted(by: { $0.key < $1.key }).filter { only == nil || $0.key == only }.map { port, p in
            [String(port), String(p.ecp.requestsOut), String(p.ecp.requestsIn), String(p.ecp.acksOut), String(p.ecp.acksIn),
             String(p.ecp.retries), String(p.ecp.timeouts), String(p.ecp.duplicates), String(p.ecp.malformed)]
        }
        guard !rows.isEmpty else { return ["No port runs ECP (interface port P / evb profile N)"] }
        return VMManagerReport.table(["Port", "TX requests", "RX requests", "TX acks", "RX acks", "Retries", "Timeouts",
                                      "Duplicates", "Malformed"], rows)
    }
}
