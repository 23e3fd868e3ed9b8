import Dataplane
import SwitchTypes

/// What `show vnic` and `show vnic vnicgroup` print.
enum VNICReport {
    /// Whether vNICs take part at all, first: a vNIC shown enabled does nothing without it.
    static func globalLine(_ s: SwitchState) -> String {
        s.bridge.vnicEnabled ? "vNICs: enabled (vnic enable)" : "vNICs: disabled (no vnic enable): no vNIC or group takes part"
    }

    /// Per vNIC of `port` (all ports when nil): S-VID, state, bandwidth (% and Mbit/s of the
    /// port's speed), the port's mode, and the vNIC's counters.
    static func vnics(_ s: SwitchState, counters: [PortCounters], port only: Int?) -> [String] {
        var out = [globalLine(s)]
        let ports = s.bridge.vnicPorts.keys.sorted().filter { only == nil || $0 == only }
        let rows = ports.flatMap { port in
            s.bridge.vnicPorts[port]!.vnics.sorted { $0.key < $1.key }.map { (port: port, index: $0.key, vnic: $0.value) }
        }
        guard !rows.isEmpty else {
            out.append(only.map { "No vNIC on port \($0)" } ?? "No vNIC is configured")
            return out
        }
        let byPort = Dictionary(counters.map { ($0.bridgePort, $0) }, uniquingKeysWith: { a, _ in a })
        out.append("vNIC   S-VID  State     Bandwidth           Mode                RX frames  RX drops  TX frames  TX drops")
        out.append("-----  -----  --------  ------------------  ------------------  ---------  --------  ---------  --------")
        for row in rows {
            let name = BridgePort(port: row.port, vnic: row.index)
            let c = byPort[name] ?? PortCounters(port: row.port, vnic: row.index)
            let speed = s.bridge[port: row.port].speed
            let bandwidth = padLeft("\(row.vnic.bandwidthPercent)%", 4) + " " + padLeft(mbits(speed, row.vnic.bandwidthPercent), 6) + " Mbit/s"
            out.append(pad(name.description, 5) + padLeft(String(row.vnic.svid), 7) + "  "
                       + pad(row.vnic.isEnabled ? "enabled" : "disabled", 8) + "  " + pad(bandwidth, 18) + "  "
                       + pad(mode(s, port: row.port), 18) + padLeft(String(c.rxFrames), 11) + padLeft(String(c.dropped), 10)
                       + padLeft(String(c.txFrames), 11) + padLeft(String(c.txRateLimited + c.txDropped), 10))
        }
        return out
    }

    /// "switch" or "io-extender N", with ", cdcp" when CDCP assigns the S-VIDs.
    static func mode(_ s: SwitchState, port: Int) -> String {
        var text = "switch"
        if case .ioExtender(let upstream) = s.bridge.vnicPorts[port]?.mode { text = "io-extender \(upstream)" }
        return s.vnicCDCPPorts.contains(port) ? text + ", cdcp" : text
    }

    /// `speed × percent / 100` Mbit/s, with two decimals when it is not whole.
    static func mbits(_ speed: Int, _ percent: Int) -> String {
        let hundredths = speed * percent
        guard hundredths % 100 != 0 else { return String(hundredths / 100) }
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// Per group (or only group `only`): VLAN, state, uplink, members.
    static func groups(_ s: SwitchState, only: Int?) -> [String] {
        var out = [globalLine(s)]
        let numbers = s.bridge.vnicGroups.keys.sorted().filter { only == nil || $0 == only }
        guard !numbers.isEmpty else { return out + ["No vNIC group is configured"] }
        out.append("Group  VLAN  State     Uplink  Members")
        out.append("-----  ----  --------  ------  -------")
        for number in numbers {
            let g = s.bridge.vnicGroups[number]!
            let members = g.members.isEmpty ? "-" : g.members.sorted().map(\.description).joined(separator: ",")
            out.append(pad(String(number), 5) + padLeft(g.vlan.map(String.init) ?? "-", 6) + "  "
                       + pad(g.isEnabled ? "enabled" : "disabled", 8) + "  " + pad(g.uplink.map(String.init) ?? "-", 6) + "  " + members)
        }
        return out
    }
}
