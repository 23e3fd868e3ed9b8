import Console
import Frames
import Protocols

/// `show lldp remote-device [port P]`: one row per neighbour, by port, agent and index.
struct LLDPRemoteDeviceReport: ShowReport {
    struct Device: Encodable {
        var localPort: String
        var index: Int
        var chassisID: String
        var portID: String
        /// Absent when the neighbour sends no System Name TLV.
        var systemName: String?
        /// The LLDP agent it was heard on: `NB`, `NnTB` or `NCB`.
        var agent: String
    }

    var remoteDevices: [Device]

    init(_ view: LLDPAgent.Snapshot, ports: [Int]) {
        let wanted = Set(ports)
        remoteDevices = view.neighbors.sorted.filter { wanted.contains($0.key.port) }.map { entry in
            Device(localPort: String(entry.key.port), index: entry.index, chassisID: entry.info.chassisID.description,
                   portID: entry.info.portID.description, systemName: entry.info.systemName?.description, agent: entry.key.agent.label)
        }
    }

    var lines: [String] {
        var out = ["LocalPort | Index | Remote Chassis ID    | Remote Port          | Remote System Name            | DMAC",
                   "----------|-------|----------------------|----------------------|-------------------------------|-----"]
        for d in remoteDevices {
            out.append(pad(d.localPort, 9) + " | " + pad(String(d.index), 5) + " | "
                + pad(LLDPReport.clip(d.chassisID, 20), 20) + " | " + pad(LLDPReport.clip(d.portID, 20), 20) + " | "
                + pad(LLDPReport.clip(d.systemName ?? "", 29), 29) + " | " + d.agent)
        }
        return out
    }
}
