import Console
import Frames
import Protocols

/// `show virt vsi [port P] [mac MAC] [vlan V]`: the VSIs stations associated over VDP,
/// with the MAC/VID filters that match the command's.
struct VirtVSIReport: ShowReport {
    struct VSI: Encodable {
        var port: String
        /// The VDP state (`associated`, `preassociated`, ...).
        var state: String
        var typeID: Int
        var typeVersion: Int
        var vsiID: String
        var managerID: String
        var filters: [Filter]
    }

    struct Filter: Encodable {
        var mac: MACAddress
        /// The VID (0: the station leaves it to the bridge).
        var vlan: Int
    }

    var vsis: [VSI]

    init(_ sw: VMreadySwitch, port: Int?, mac: MACAddress?, vlan: UInt16?) {
        vsis = []
        for (number, snapshot) in sw.evb.snapshot.ports.sorted(by: { $0.key < $1.key }) where port == nil || number == port {
            for vsi in snapshot.vsis.sorted(by: { "\($0.id)" < "\($1.id)" }) {
                let filters = vsi.filters.filter { (mac == nil || $0.mac == mac) && (vlan == nil || $0.vid == vlan) }
                guard !filters.isEmpty || (mac == nil && vlan == nil) else { continue }
                vsis.append(VSI(port: String(number), state: vsi.state.rawValue, typeID: Int(vsi.typeID), typeVersion: Int(vsi.typeVersion),
                                vsiID: "\(vsi.id)", managerID: "\(vsi.managerID)",
                                filters: filters.map { Filter(mac: $0.mac, vlan: Int($0.vid)) }))
            }
        }
    }

    var lines: [String] {
        guard !vsis.isEmpty else { return ["No VSI is associated"] }
        let rows = vsis.map { v in
            [v.port, v.state, "\(v.typeID)v\(v.typeVersion)", v.vsiID, v.filters.map { "\($0.mac)/\($0.vlan)" }.joined(separator: ","),
             v.managerID]
        }
        return VMManagerReport.table(["Port", "State", "Type", "VSI ID", "MAC/VID", "Manager ID"], rows)
    }
}
