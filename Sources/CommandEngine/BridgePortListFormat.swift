import SwitchTypes

/// Port lists such as `1-4,7` or `1.1-1.4,2`: physical ports and vNICs (`P.I`), shown
/// compressed into ranges, a port before its vNICs. A vNIC range stays on one port
/// (`1.1-1.4`); `1.3-2.1` means nothing a NIC has, so it is refused.
public enum BridgePortListFormat {
    /// Larger than any switch we build; the handler checks against the real ports.
    public static let maxPort = PortListFormat.maxPort

    public static func parse(_ s: String) -> [BridgePort]? {
        guard !s.isEmpty else { return nil }
        var ports = Set<BridgePort>()
        for item in s.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count) else { return nil }
            var bounds: [BridgePort] = []
            for e in ends {
                guard let p = port(e) else { return nil }
                bounds.append(p)
            }
            let (first, last) = (bounds[0], bounds[bounds.count - 1])
            guard first.port <= last.port, (first.vnic == nil) == (last.vnic == nil) else { return nil }
            if let from = first.vnic, let to = last.vnic {
                guard first.port == last.port, from <= to else { return nil }
                for i in from...to { ports.insert(BridgePort(port: first.port, vnic: i)) }
            } else {
                for p in first.port...last.port { ports.insert(BridgePort(port: p)) }
            }
        }
        return ports.sorted()
    }

    /// `P` or `P.I`, canonical decimal, in range.
    private static func port(_ text: Substring) -> BridgePort? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              parts.allSatisfy({ $0.count <= 4 && DecimalText.isCanonical($0) }),
              let port = Int(parts[0]), (1...maxPort).contains(port) else { return nil }
        guard parts.count == 2 else { return BridgePort(port: port) }
        guard let index = Int(parts[1]), (1...VNICFormat.maxIndex).contains(index) else { return nil }
        return BridgePort(port: port, vnic: index)
    }

    static func isPrefix(_ s: String) -> Bool {
        s.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ",")
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }

    /// Ascending `ports` (as `parse` returns them) in their shortest form.
    public static func string(_ ports: [BridgePort]) -> String {
        var parts: [String] = []
        var i = 0
        while i < ports.count {
            var j = i
            while j + 1 < ports.count, follows(ports[j + 1], ports[j]) { j += 1 }
            parts.append(i == j ? "\(ports[i])" : "\(ports[i])-\(ports[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// Whether `next` continues a range that ends at `previous`: the next physical port, or
    /// the next vNIC of the same port.
    private static func follows(_ next: BridgePort, _ previous: BridgePort) -> Bool {
        switch (previous.vnic, next.vnic) {
        case (nil, nil): return next.port == previous.port + 1
        case (let a?, let b?): return next.port == previous.port && b == a + 1
        default: return false
        }
    }
}
