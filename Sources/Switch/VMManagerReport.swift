import Foundation
import Frames
import VMManager

extension VMManagerService {
    /// Per VM MAC the VM managers know: `VM manager: name web01, UUID ..., on hv1, verified`
    /// (the `show virt vm -v` line).
    func descriptions() -> [MACAddress: String] {
        state.withLock { state in
            var out: [MACAddress: String] = [:]
            for (mac, places) in state.inventory.places {
                guard let place = places.first(where: { state.inventory.domain($0)?.state.isActive == true }) ?? places.first,
                      let domain = state.inventory.domain(place) else { continue }
                var text = "VM manager: \(domain.name), UUID \(domain.uuid), on \(place.host) (\(domain.state.rawValue))"
                if let verdict = state.verdicts[mac]?.verdict { text += ", " + VMManagerReport.describe(verdict) }
                out[mac] = text
            }
            for (mac, judged) in state.verdicts where out[mac] == nil {
                out[mac] = "VM manager: " + VMManagerReport.describe(judged.verdict)
            }
            return out
        }
    }
}

/// Words and the table layout the VM manager and VSI reports share.
enum VMManagerReport {
    static func describe(_ verdict: VMVerdict) -> String {
        switch verdict {
        case .unmanaged: "no managed host behind its port"
        case .trusted: "trusted port"
        case .verified(let host, _): "verified (\(host) runs it)"
        case .unverified: "unverified (unknown to the VM managers)"
        case .spoofed(let host): "suspected spoof (\(host) runs it)"
        case .stale: "not judged (stale inventory)"
        }
    }

    /// Columns padded to their widest cell, two spaces apart, with a rule under the titles.
    static func table(_ titles: [String], _ rows: [[String]]) -> [String] {
        let widths = titles.indices.map { column in ([titles] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let text = zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            return String(text.reversed().drop { $0 == " " }.reversed())
        }
        return [line(titles), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
    }
}
