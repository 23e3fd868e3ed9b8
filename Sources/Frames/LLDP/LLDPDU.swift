/// An LLDP data unit (802.1AB-2016 clause 8): the three mandatory TLVs, then the optional
/// ones in order. The mandatory TLVs are fields, so a value cannot lack or repeat them;
/// `encode()` writes them first and closes with End Of LLDPDU.
public struct LLDPDU: Hashable, Sendable {
    /// The most TLV octets an LLDPDU may hold (an untagged Ethernet payload).
    public static let maxLength = 1500

    public var chassisID: LLDPChassisID
    public var portID: LLDPPortID
    /// Seconds the receiver keeps this information; 0 tells it to delete it now (shutdown).
    public var timeToLive: UInt16
    /// Every other TLV, in wire order.
    public var tlvs: [LLDPTLV]

    public init(chassisID: LLDPChassisID, portID: LLDPPortID, timeToLive: UInt16, tlvs: [LLDPTLV] = []) {
        self.chassisID = chassisID
        self.portID = portID
        self.timeToLive = timeToLive
        self.tlvs = tlvs
    }

    /// The first System Name TLV's text, if any.
    public var systemName: LLDPText? {
        for case .systemName(let text) in tlvs { return text }
        return nil
    }

    /// The first Port Description TLV's text, if any.
    public var portDescription: LLDPText? {
        for case .portDescription(let text) in tlvs { return text }
        return nil
    }

    /// The first System Description TLV's text, if any.
    public var systemDescription: LLDPText? {
        for case .systemDescription(let text) in tlvs { return text }
        return nil
    }

    /// The organizationally specific TLVs, in order.
    public var organizationalTLVs: [LLDPOrganizationalTLV] {
        tlvs.compactMap { if case .organizational(let tlv) = $0 { tlv } else { nil } }
    }
}

extension MACAddress {
    /// Nearest bridge group address: ordinary LLDP, never relayed by any bridge.
    public static let lldpNearestBridge = MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e)
    /// Nearest non-TPMR bridge group address.
    public static let lldpNearestNonTPMRBridge = MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x03)
    /// Nearest customer bridge group address: the agent EVB and CDCP TLVs ride (lldpad).
    public static let lldpNearestCustomerBridge = MACAddress(0x01, 0x80, 0xc2, 0x00, 0x00, 0x00)
}
