import CommandEngine
import Dataplane
import SwitchTypes

/// Column rules shared by `show interface` and its reports.
enum InterfaceReport {
    /// Columns that hold names and lists (a `file:` path, a trunk's VLAN list) widen to
    /// the longest value on the switch, up to a limit, so that every `show interface` has
    /// the same columns; a longer value is shortened visibly (`...`) rather than pushing
    /// the columns after it out of line.
    static let attachedWidths = 16...40
    static let trunkWidths = 15...31
    /// The I/O column fits every kind (`xdp-fast-generic` is the longest), so it never moves.
    static let ioWidth = PortIOKind.allCases.map(\.rawValue.count).max() ?? 3

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
}
