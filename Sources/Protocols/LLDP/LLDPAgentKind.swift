import Frames

/// The three LLDP agents of 802.1AB, told apart by the group address their LLDPDUs go to.
/// The switch runs nearest bridge (ordinary LLDP) and nearest customer bridge (EVB and
/// CDCP, as lldpad expects); a neighbour heard on the third is still listed.
public enum LLDPAgentKind: Int, Hashable, Sendable, CaseIterable, Comparable {
    case nearestBridge
    case nearestNonTPMRBridge
    case nearestCustomerBridge

    /// The destination of its LLDPDUs.
    public var address: MACAddress {
        switch self {
        case .nearestBridge: MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e)
        case .nearestNonTPMRBridge: MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x03)
        case .nearestCustomerBridge: MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x00)
        }
    }

    /// The agent a frame to `address` belongs to.
    public init?(address: MACAddress) {
        guard let kind = Self.allCases.first(where: { $0.address == address }) else { return nil }
        self = kind
    }

    /// The `DMAC` column of `show lldp remote-device`.
    public var label: String {
        switch self {
        case .nearestBridge: "NB"
        case .nearestNonTPMRBridge: "NnTB"
        case .nearestCustomerBridge: "NCB"
        }
    }

    public static func < (a: LLDPAgentKind, b: LLDPAgentKind) -> Bool { a.rawValue < b.rawValue }
}
