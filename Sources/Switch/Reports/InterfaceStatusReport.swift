import Console
import Dataplane
import SwitchTypes

/// `show interface [port PORTS]`: one row per port or vNIC.
struct InterfaceStatusReport: ShowReport {
    struct Interface: Encodable {
        var port: String
        /// `up`, `down` or `err-disabled`.
        var state: String
        /// `access` or `trunk`.
        var mode: String
        /// The access VLAN, or a trunk's native VLAN.
        var vlan: Int
        /// A trunk's allowed VLANs as a list (`all`, `1,100-101`), as EOS gives them.
        var trunkAllowedVLANs: String?
        /// The Linux interface or file the port is attached to, or a vNIC's `svid N`.
        var attachedTo: String?
        /// How its frames move (`pcap`, `xdp-native`, `xdp-fast-generic`, `file`, `memory`, ...); ports only.
        var io: String?
        var rxFrames: UInt64
        var txFrames: UInt64
        var description: String?
    }

    var interfaces: [Interface]
    /// The trunk column's width comes from every port on the switch, not only those shown,
    /// so that every `show interface` has the same columns.
    private var trunkWidth: Int

    enum CodingKeys: String, CodingKey { case interfaces }

    /// A vNIC's "Attached to" is the S-VID that carries it; its state is `interfaceState`'s.
    init(_ sw: VMreadySwitch, ports: [BridgePort]) {
        let s = sw.state.withLock { $0 }
        let counters = sw.dataplane.counters() + sw.dataplane.vnicCounters()
        func trunkText(_ port: BridgePort) -> String? {
            let p = s.switchport(port)
            return p.mode == .trunk ? (p.trunkAllowedVLANs == .all ? "all" : p.trunkAllowedVLANs.description) : nil
        }
        func attached(_ port: BridgePort) -> String? {
            guard let index = port.vnic else { return sw.dataplane.attachments[port.port] }
            return "svid \(s.bridge.vnicPorts[port.port]?.vnics[index]?.svid ?? 0)"
        }
        trunkWidth = InterfaceReport.width(of: s.allBridgePorts.map { trunkText($0) ?? "" }, within: InterfaceReport.trunkWidths)
        interfaces = ports.map { port in
            let p = s.switchport(port)
            let c = counters.first { $0.bridgePort == port }
            // A vNIC's frames move as its port's, shown on the port's row.
            return Interface(port: port.description, state: s.interfaceState(port), mode: p.mode == .access ? "access" : "trunk",
                             vlan: Int(p.mode == .access ? p.accessVLAN : p.nativeVLAN), trunkAllowedVLANs: trunkText(port),
                             attachedTo: attached(port), io: port.vnic == nil ? sw.dataplane.ioKinds[port.port]?.rawValue : nil,
                             rxFrames: c?.rxFrames ?? 0, txFrames: c?.txFrames ?? 0, description: s.description(of: port))
        }
    }

    var lines: [String] {
        typealias R = InterfaceReport
        let attachedWidth = R.width(of: interfaces.map { $0.attachedTo ?? "-" }, within: R.attachedWidths)
        let header = pad("Port", 4) + "  " + pad("State", 12) + "  " + pad("Mode", 6) + "  " + pad("VLAN", 4) + "  "
            + pad("Trunk VLANs", trunkWidth) + "  " + pad("Attached to", attachedWidth) + "  " + pad("I/O", R.ioWidth) + "  " + padLeft("RX frames", 10) + "  "
            + padLeft("TX frames", 10) + "  Description"
        let rule = ["----", "------------", "------", "----", String(repeating: "-", count: trunkWidth),
                    String(repeating: "-", count: attachedWidth), String(repeating: "-", count: R.ioWidth), "----------", "----------", "-----------"]
        var out = [header, rule.joined(separator: "  ")]
        for i in interfaces {
            var line = pad(i.port, 4) + "  " + pad(i.state, 12) + "  "
            line += pad(i.mode, 6) + "  " + pad(String(i.vlan), 4) + "  "
            line += pad(R.shortenList(i.trunkAllowedVLANs ?? "", to: trunkWidth), trunkWidth) + "  "
            line += pad(R.shortenPath(i.attachedTo ?? "-", to: attachedWidth), attachedWidth) + "  "
            line += pad(i.io ?? "-", R.ioWidth) + "  "
            line += padLeft(String(i.rxFrames), 10) + "  " + padLeft(String(i.txFrames), 10)
            line += "  " + (i.description ?? "")
            out.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return out
    }
}
