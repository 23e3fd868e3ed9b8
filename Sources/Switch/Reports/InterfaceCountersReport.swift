import Console
import Dataplane
import SwitchTypes

/// `show interface counters [port PORTS]`: frame counters per port or vNIC, then a line per
/// port for each rarer counter that is not zero (drops by reason, the fast path, ...).
struct InterfaceCountersReport: ShowReport {
    struct Counters: Encodable {
        var port: String
        var rxFrames: UInt64
        var rxBytes: UInt64
        var txFrames: UInt64
        var txBytes: UInt64
        var forwarded: UInt64
        var flooded: UInt64
        var filtered: UInt64
        var punted: UInt64
        /// Every drop, the sum of `drops`.
        var dropped: UInt64
        /// Drops by reason, reasons with none left out.
        var drops: [Drop]
        /// Frames the XDP fast path forwarded in the kernel, part of RX frames (and Forwarded).
        var fastPathRxFrames: UInt64
        /// ... and of TX frames.
        var fastPathTxFrames: UInt64
        /// What the interface refused of the kernel's frames (part of txDropped).
        var fastPathTxRefused: UInt64
        var txDropped: UInt64
        /// Frames a port handed to its vNICs (switch mode): they count on the vNIC.
        var toVNIC: UInt64
        /// Frames to a vNIC over its bandwidth share.
        var txRateLimited: UInt64
        /// Frames the switch sent itself (LLDP, ...), part of TX frames.
        var originated: UInt64
        var originateRefused: UInt64
        /// Sources not learned because the MAC table was full, or the port's limit reached.
        var notLearnedTableFull: UInt64
        var notLearnedPortLimit: UInt64
        var macEvicted: UInt64
    }

    struct Drop: Encodable {
        /// The reason as the text names it (`vlan-not-allowed`, `svid-not-assigned`, ...).
        var reason: String
        var frames: UInt64
    }

    var interfaces: [Counters]

    init(_ sw: VMreadySwitch, ports: [BridgePort]) {
        let all = sw.dataplane.counters() + sw.dataplane.vnicCounters()
        interfaces = ports.compactMap { port in
            guard let c = all.first(where: { $0.bridgePort == port }) else { return nil }
            let drops = DropReason.allCases.compactMap { r -> Drop? in
                guard let n = c.drops[r], n > 0 else { return nil }
                return Drop(reason: r.description, frames: n)
            }
            return Counters(port: port.description, rxFrames: c.rxFrames, rxBytes: c.rxBytes, txFrames: c.txFrames,
                            txBytes: c.txBytes, forwarded: c.forwarded, flooded: c.flooded, filtered: c.filtered,
                            punted: c.punted, dropped: c.dropped, drops: drops, fastPathRxFrames: c.fastPathRxFrames,
                            fastPathTxFrames: c.fastPathTxFrames, fastPathTxRefused: c.fastPathTxRefused,
                            txDropped: c.txDropped, toVNIC: c.toVNIC, txRateLimited: c.txRateLimited,
                            originated: c.originated, originateRefused: c.originateRefused,
                            notLearnedTableFull: c.learningRefused, notLearnedPortLimit: c.portLimitRefused,
                            macEvicted: c.macEvicted)
        }
    }

    var lines: [String] {
        let titles = ["RX frames", "RX bytes", "TX frames", "TX bytes", "Forwarded", "Flooded", "Filtered", "Punted", "Dropped"]
        var out = [pad("Port", 4) + titles.map { "  " + padLeft($0, 10) }.joined(),
                   "----" + String(repeating: "  ----------", count: titles.count)]
        var rareLines: [String] = []
        for c in interfaces {
            let values = [c.rxFrames, c.rxBytes, c.txFrames, c.txBytes, c.forwarded, c.flooded, c.filtered, c.punted, c.dropped]
            out.append(pad(c.port, 4) + values.map { "  " + padLeft(String($0), 10) }.joined())
            var parts = c.drops.map { "\($0.reason) \($0.frames)" }
            let rare: [(String, UInt64)] = [
                ("fast-path-rx", c.fastPathRxFrames), ("fast-path-tx", c.fastPathTxFrames),
                ("fast-path-tx-refused", c.fastPathTxRefused), ("tx-dropped", c.txDropped), ("to-vnic", c.toVNIC),
                ("tx-rate-limited", c.txRateLimited), ("originated", c.originated), ("originate-refused", c.originateRefused),
                ("not-learned (table full)", c.notLearnedTableFull), ("not-learned (port limit)", c.notLearnedPortLimit),
                ("mac-evicted", c.macEvicted),
            ]
            parts += rare.filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }
            if !parts.isEmpty { rareLines.append("Port \(c.port): " + parts.joined(separator: ", ")) }
        }
        return out + rareLines
    }
}
