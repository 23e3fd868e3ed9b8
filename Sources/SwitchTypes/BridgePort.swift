/// A bridge port as the operator names it: physical port `P`, or vNIC `I` of
/// port P (`P.I`), the logical port a converged NIC's partition is switched as.
public struct BridgePort: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The physical port, 1-based.
    public var port: Int
    /// The vNIC index (1-4) on `port`; nil for the physical port itself.
    public var vnic: Int?

    /// Physical port `port`, or its vNIC `vnic`.
    public init(port: Int, vnic: Int? = nil) {
        self.port = port
        self.vnic = vnic
    }

    /// Parses "P" or "P.I" (decimal, no sign or spaces); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let port = Int(parts[0]) else { return nil }
        if parts.count == 2 {
            guard let vnic = Int(parts[1]) else { return nil }
            self.init(port: port, vnic: vnic)
        } else {
            self.init(port: port)
        }
    }

    /// True for a vNIC.
    public var isVNIC: Bool { vnic != nil }

    /// "1" or "1.2", as `show` commands print it.
    public var description: String { vnic.map { "\(port).\($0)" } ?? "\(port)" }

    /// Port order, a port before its vNICs.
    public static func < (lhs: BridgePort, rhs: BridgePort) -> Bool {
        (lhs.port, lhs.vnic ?? 0) < (rhs.port, rhs.vnic ?? 0)
    }
}
