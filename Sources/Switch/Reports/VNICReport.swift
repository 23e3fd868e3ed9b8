import Console
import Dataplane
import SwitchTypes

/// `show vnic [port P]`: whether vNICs take part, then per vNIC its S-VID, state,
/// bandwidth share, the port's mode and the vNIC's counters.
struct VNICReport: ShowReport {
    struct VNIC: Encodable {
        /// `3.2`: port 3, index 2.
        var vnic: String
        var svid: Int
        var enabled: Bool
        /// Its share of the port's speed, in percent, and that speed.
        var bandwidthPercent: Int
        var portSpeedMbps: Int
        /// The port's vNIC mode: `switch` or `io-extender` (then `upstreamPort`).
        var mode: String
        var upstreamPort: String?
        /// Whether CDCP assigns the port's S-VIDs.
        var cdcp: Bool
        var rxFrames: UInt64
        var rxDrops: UInt64
        var txFrames: UInt64
        /// Dropped on the way out, by the rate limit or otherwise.
        var txDrops: UInt64
    }

    var vnicsEnabled: Bool
    var vnics: [VNIC]
    /// The port asked for, for the text when it has no vNIC.
    private var only: Int?

    enum CodingKeys: String, CodingKey { case vnicsEnabled, vnics }

    init(_ s: SwitchState, counters: [PortCounters], port only: Int?) {
        self.only = only
        vnicsEnabled = s.bridge.vnicEnabled
        let byPort = Dictionary(counters.map { ($0.bridgePort, $0) }, uniquingKeysWith: { a, _ in a })
        vnics = s.bridge.vnicPorts.keys.sorted().filter { only == nil || $0 == only }.flatMap { port in
            s.bridge.vnicPorts[port]!.vnics.sorted { $0.key < $1.key }.map { index, vnic in
                let name = BridgePort(port: port, vnic: index)
                let c = byPort[name] ?? PortCounters(port: port, vnic: index)
                var upstream: Int?
                if case .ioExtender(let to) = s.bridge.vnicPorts[port]?.mode { upstream = to }
                return VNIC(vnic: name.description, svid: Int(vnic.svid), enabled: vnic.isEnabled, bandwidthPercent: vnic.bandwidthPercent,
                            portSpeedMbps: s.bridge[port: port].speed, mode: upstream == nil ? "switch" : "io-extender",
                            upstreamPort: upstream.map(String.init), cdcp: s.vnicCDCPPorts.contains(port),
                            rxFrames: UInt64(c.rxFrames), rxDrops: UInt64(c.dropped), txFrames: UInt64(c.txFrames),
                            txDrops: UInt64(c.txRateLimited + c.txDropped))
            }
        }
    }

    /// Whether vNICs take part at all, first: a vNIC shown enabled does nothing without it.
    static func globalLine(_ enabled: Bool) -> String {
        enabled ? "vNICs: enabled (vnic enable)" : "vNICs: disabled (no vnic enable): no vNIC or group takes part"
    }

    var lines: [String] {
        var out = [Self.globalLine(vnicsEnabled)]
        guard !vnics.isEmpty else {
            out.append(only.map { "No vNIC on port \($0)" } ?? "No vNIC is configured")
            return out
        }
        out.append("vNIC   S-VID  State     Bandwidth           Mode                RX frames  RX drops  TX frames  TX drops")
        out.append("-----  -----  --------  ------------------  ------------------  ---------  --------  ---------  --------")
        for v in vnics {
            let bandwidth = padLeft("\(v.bandwidthPercent)%", 4) + " " + padLeft(Self.mbits(v.portSpeedMbps, v.bandwidthPercent), 6) + " Mbit/s"
            var mode = v.upstreamPort.map { "io-extender \($0)" } ?? "switch"
            if v.cdcp { mode += ", cdcp" }
            out.append(pad(v.vnic, 5) + padLeft(String(v.svid), 7) + "  "
                       + pad(v.enabled ? "enabled" : "disabled", 8) + "  " + pad(bandwidth, 18) + "  "
                       + pad(mode, 18) + padLeft(String(v.rxFrames), 11) + padLeft(String(v.rxDrops), 10)
                       + padLeft(String(v.txFrames), 11) + padLeft(String(v.txDrops), 10))
        }
        return out
    }

    /// `speed × percent / 100` Mbit/s, with two decimals when it is not whole.
    static func mbits(_ speed: Int, _ percent: Int) -> String {
        let hundredths = speed * percent
        guard hundredths % 100 != 0 else { return String(hundredths / 100) }
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
