import CommandEngine
import Dataplane

/// The text of `show interface` and `show interface counters`.
enum InterfaceReport {
    static func status(_ sw: VMreadySwitch, ports: [Int]) -> [String] {
        let s = sw.state.withLock { $0 }
        let counters = sw.dataplane.counters()
        let header = pad("Port", 4) + "  " + pad("State", 12) + "  " + pad("Mode", 6) + "  " + pad("VLAN", 4) + "  "
            + pad("Trunk VLANs", 15) + "  " + pad("Attached to", 16) + "  " + padLeft("RX frames", 10) + "  "
            + padLeft("TX frames", 10) + "  Description"
        var out = [header, "----  ------------  ------  ----  ---------------  ----------------  ----------  ----------  -----------"]
        for port in ports {
            let p = s.bridge[port: port]
            let c = counters.first { $0.port == port }
            let vlan = p.mode == .access ? p.accessVLAN : p.nativeVLAN
            let trunk = p.mode == .trunk ? (p.trunkAllowedVLANs == .all ? "all" : p.trunkAllowedVLANs.description) : ""
            let state = s.errDisabled[port] != nil ? "err-disabled" : (p.isEnabled ? "up" : "down")
            var line = pad(String(port), 4) + "  " + pad(state, 12) + "  "
            line += pad(p.mode == .access ? "access" : "trunk", 6) + "  " + pad(String(vlan), 4) + "  "
            line += pad(trunk, 15) + "  " + pad(sw.dataplane.attachments[port] ?? "-", 16) + "  "
            line += padLeft(String(c?.rxFrames ?? 0), 10) + "  " + padLeft(String(c?.txFrames ?? 0), 10)
            line += "  " + (s.descriptions[port - 1] ?? "")
            out.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return out
    }

    static func counters(_ sw: VMreadySwitch, ports: [Int]) -> [String] {
        let all = sw.dataplane.counters()
        let titles = ["RX frames", "RX bytes", "TX frames", "TX bytes", "Forwarded", "Flooded", "Filtered", "Consumed", "Dropped"]
        var out = [pad("Port", 4) + titles.map { "  " + padLeft($0, 10) }.joined(),
                   "----" + String(repeating: "  ----------", count: titles.count)]
        var dropLines: [String] = []
        for port in ports {
            guard let c = all.first(where: { $0.port == port }) else { continue }
            let values = [c.rxFrames, c.rxBytes, c.txFrames, c.txBytes, c.forwarded, c.flooded, c.filtered,
                          c.consumed, c.dropped]
            out.append(pad(String(port), 4) + values.map { "  " + padLeft(String($0), 10) }.joined())
            let reasons = DropReason.allCases.compactMap { r -> String? in
                guard let n = c.drops[r], n > 0 else { return nil }
                return "\(r) \(n)"
            }
            if c.txDropped > 0 || c.learningRefused > 0 || !reasons.isEmpty {
                var parts = reasons
                if c.txDropped > 0 { parts.append("tx-dropped \(c.txDropped)") }
                if c.learningRefused > 0 { parts.append("not-learned (table full) \(c.learningRefused)") }
                dropLines.append("Port \(port): " + parts.joined(separator: ", "))
            }
        }
        return out + dropLines
    }
}
