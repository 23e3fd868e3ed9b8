import CommandEngine
import Dataplane
import SwitchTypes

/// The text of `show interface` and `show interface counters`.
enum InterfaceReport {
    /// Columns that hold names and lists (a `file:` path, a trunk's VLAN list) widen to
    /// the longest value on the switch, up to a limit, so that every `show interface` has
    /// the same columns; a longer value is shortened visibly (`...`) rather than pushing
    /// the columns after it out of line.
    static let attachedWidths = 16...40
    static let trunkWidths = 15...31
    /// The I/O column fits every kind (`xdp-fast-generic` is the longest), so it never moves.
    static let ioWidth = PortIOKind.allCases.map(\.rawValue.count).max() ?? 3

    /// One row per port or vNIC. A vNIC's "Attached to" is the S-VID that carries it, and it
    /// is up while its frames are taken (vNICs on, the vNIC enabled and assigned, its port up).
    static func status(_ sw: VMreadySwitch, ports: [BridgePort]) -> [String] {
        let s = sw.state.withLock { $0 }
        let counters = sw.dataplane.counters() + sw.dataplane.vnicCounters()
        func trunkText(_ port: BridgePort) -> String {
            let p = s.switchport(port)
            return p.mode == .trunk ? (p.trunkAllowedVLANs == .all ? "all" : p.trunkAllowedVLANs.description) : ""
        }
        func attached(_ port: BridgePort) -> String {
            guard let index = port.vnic else { return sw.dataplane.attachments[port.port] ?? "-" }
            return "svid \(s.bridge.vnicPorts[port.port]?.vnics[index]?.svid ?? 0)"
        }
        /// How the port's frames move; a vNIC's are its port's, shown on the port's row.
        func io(_ port: BridgePort) -> String {
            guard port.vnic == nil else { return "-" }
            return sw.dataplane.ioKinds[port.port]?.rawValue ?? "-"
        }
        func state(_ port: BridgePort) -> String { s.interfaceState(port) }
        let attachedWidth = width(of: ports.map(attached), within: attachedWidths)
        let trunkWidth = width(of: s.allBridgePorts.map(trunkText), within: trunkWidths)
        let header = pad("Port", 4) + "  " + pad("State", 12) + "  " + pad("Mode", 6) + "  " + pad("VLAN", 4) + "  "
            + pad("Trunk VLANs", trunkWidth) + "  " + pad("Attached to", attachedWidth) + "  " + pad("I/O", ioWidth) + "  " + padLeft("RX frames", 10) + "  "
            + padLeft("TX frames", 10) + "  Description"
        let rule = ["----", "------------", "------", "----", String(repeating: "-", count: trunkWidth),
                    String(repeating: "-", count: attachedWidth), String(repeating: "-", count: ioWidth), "----------", "----------", "-----------"]
        var out = [header, rule.joined(separator: "  ")]
        for port in ports {
            let p = s.switchport(port)
            let c = counters.first { $0.bridgePort == port }
            let vlan = p.mode == .access ? p.accessVLAN : p.nativeVLAN
            var line = pad(port.description, 4) + "  " + pad(state(port), 12) + "  "
            line += pad(p.mode == .access ? "access" : "trunk", 6) + "  " + pad(String(vlan), 4) + "  "
            line += pad(shortenList(trunkText(port), to: trunkWidth), trunkWidth) + "  "
            line += pad(shortenPath(attached(port), to: attachedWidth), attachedWidth) + "  "
            line += pad(io(port), ioWidth) + "  "
            line += padLeft(String(c?.rxFrames ?? 0), 10) + "  " + padLeft(String(c?.txFrames ?? 0), 10)
            line += "  " + (s.description(of: port) ?? "")
            out.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return out
    }

    /// The width of a column: its longest value, within `limits`.
    static func width<S: Sequence<String>>(of values: S, within limits: ClosedRange<Int>) -> Int {
        min(limits.upperBound, max(limits.lowerBound, values.map(\.count).max() ?? 0))
    }

    /// A path's end is what tells files apart: `file:...captures/esx-a.pcap`.
    static func shortenPath(_ s: String, to width: Int) -> String {
        guard s.count > width else { return s }
        let head = s.hasPrefix("file:") ? "file:..." : "..."
        return head + s.suffix(width - head.count)
    }

    /// A list keeps its first whole items: `1-100,200,...`.
    static func shortenList(_ s: String, to width: Int) -> String {
        guard s.count > width else { return s }
        var kept = ""
        for item in s.split(separator: ",") {
            let next = kept.isEmpty ? String(item) : kept + "," + item
            guard next.count + 4 <= width else { break }
            kept = next
        }
        return kept.isEmpty ? String(s.prefix(width - 3)) + "..." : kept + ",..."
    }

    static func counters(_ sw: VMreadySwitch, ports: [BridgePort]) -> [String] {
        let all = sw.dataplane.counters() + sw.dataplane.vnicCounters()
        let titles = ["RX frames", "RX bytes", "TX frames", "TX bytes", "Forwarded", "Flooded", "Filtered", "Punted", "Dropped"]
        var out = [pad("Port", 4) + titles.map { "  " + padLeft($0, 10) }.joined(),
                   "----" + String(repeating: "  ----------", count: titles.count)]
        var dropLines: [String] = []
        for port in ports {
            guard let c = all.first(where: { $0.bridgePort == port }) else { continue }
            let values = [c.rxFrames, c.rxBytes, c.txFrames, c.txBytes, c.forwarded, c.flooded, c.filtered,
                          c.punted, c.dropped]
            out.append(pad(port.description, 4) + values.map { "  " + padLeft(String($0), 10) }.joined())
            let reasons = DropReason.allCases.compactMap { r -> String? in
                guard let n = c.drops[r], n > 0 else { return nil }
                return "\(r) \(n)"
            }
            if c.txDropped > 0 || c.learningRefused > 0 || c.portLimitRefused > 0 || c.macEvicted > 0
                || c.originated > 0 || c.originateRefused > 0 || c.toVNIC > 0 || c.txRateLimited > 0 || !reasons.isEmpty
                || c.fastPathRxFrames > 0 || c.fastPathTxFrames > 0 || c.fastPathTxRefused > 0 {
                var parts = reasons
                // Frames the XDP fast path forwarded in the kernel, part of RX frames (and
                // Forwarded) and of TX frames.
                if c.fastPathRxFrames > 0 { parts.append("fast-path-rx \(c.fastPathRxFrames)") }
                if c.fastPathTxFrames > 0 { parts.append("fast-path-tx \(c.fastPathTxFrames)") }
                // The interface refused what the kernel sent (a veth peer without GRO or XDP):
                // part of tx-dropped; the port is no fast-path destination any more.
                if c.fastPathTxRefused > 0 { parts.append("fast-path-tx-refused \(c.fastPathTxRefused)") }
                if c.txDropped > 0 { parts.append("tx-dropped \(c.txDropped)") }
                // Frames a port handed to its vNICs (switch mode): they count on the vNIC.
                if c.toVNIC > 0 { parts.append("to-vnic \(c.toVNIC)") }
                // Frames to a vNIC over its bandwidth share.
                if c.txRateLimited > 0 { parts.append("tx-rate-limited \(c.txRateLimited)") }
                // Frames the switch sent itself (LLDP, ...), part of TX frames.
                if c.originated > 0 { parts.append("originated \(c.originated)") }
                if c.originateRefused > 0 { parts.append("originate-refused \(c.originateRefused)") }
                if c.learningRefused > 0 { parts.append("not-learned (table full) \(c.learningRefused)") }
                if c.portLimitRefused > 0 { parts.append("not-learned (port limit) \(c.portLimitRefused)") }
                if c.macEvicted > 0 { parts.append("mac-evicted \(c.macEvicted)") }
                dropLines.append("Port \(port): " + parts.joined(separator: ", "))
            }
        }
        return out + dropLines
    }
}
