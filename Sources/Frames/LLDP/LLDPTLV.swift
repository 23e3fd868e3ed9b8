/// TLV type numbers (802.1AB-2016 Table 8-1).
public enum LLDPTLVType {
    public static let end: UInt8 = 0
    public static let chassisID: UInt8 = 1
    public static let portID: UInt8 = 2
    public static let timeToLive: UInt8 = 3
    public static let portDescription: UInt8 = 4
    public static let systemName: UInt8 = 5
    public static let systemDescription: UInt8 = 6
    public static let systemCapabilities: UInt8 = 7
    public static let managementAddress: UInt8 = 8
    public static let organizationallySpecific: UInt8 = 127

    /// A name for errors and `show lldp remote-device detail`.
    public static func name(_ type: UInt8) -> String {
        switch type {
        case end: "End Of LLDPDU"
        case chassisID: "Chassis ID"
        case portID: "Port ID"
        case timeToLive: "Time To Live"
        case portDescription: "Port Description"
        case systemName: "System Name"
        case systemDescription: "System Description"
        case systemCapabilities: "System Capabilities"
        case managementAddress: "Management Address"
        case organizationallySpecific: "Organizationally Specific"
        default: "reserved type \(type)"
        }
    }

    /// The value lengths 802.1AB-2016 allows for each type (the 9-bit field allows 0–511).
    static func allowedLengths(_ type: UInt8) -> ClosedRange<Int> {
        switch type {
        case end: 0...0
        case chassisID, portID: 2...256
        case timeToLive: 2...2
        case portDescription, systemName, systemDescription: 0...255
        case systemCapabilities: 4...4
        case managementAddress: 9...167
        case organizationallySpecific: 4...511
        default: 0...511
        }
    }
}

/// One optional TLV of an LLDPDU, in the order received. Chassis ID, Port ID and Time To
/// Live are `LLDPDU`'s own fields, and End Of LLDPDU is framing: neither appears here.
public enum LLDPTLV: Hashable, Sendable {
    case portDescription(LLDPText)
    case systemName(LLDPText)
    case systemDescription(LLDPText)
    case systemCapabilities(LLDPSystemCapabilities)
    case managementAddress(LLDPManagementAddress)
    case organizational(LLDPOrganizationalTLV)
    /// A reserved type (9–126): kept for `detail` and counted as unrecognised.
    case unknown(type: UInt8, value: [UInt8])

    /// The TLV type on the wire.
    public var type: UInt8 {
        switch self {
        case .portDescription: LLDPTLVType.portDescription
        case .systemName: LLDPTLVType.systemName
        case .systemDescription: LLDPTLVType.systemDescription
        case .systemCapabilities: LLDPTLVType.systemCapabilities
        case .managementAddress: LLDPTLVType.managementAddress
        case .organizational: LLDPTLVType.organizationallySpecific
        case .unknown(let type, _): type
        }
    }
}

/// An organizationally specific TLV (type 127): the 802.1 ones the switch speaks, typed;
/// any other kept as (OUI, subtype, octets).
public enum LLDPOrganizationalTLV: Hashable, Sendable {
    /// IEEE 802.1's OUI 00-80-C2.
    public static let ieee8021: UInt32 = 0x0080c2

    /// 802.1 subtypes with a type here.
    public enum Subtype {
        public static let portVLANID: UInt8 = 1
        public static let vlanName: UInt8 = 3
        public static let etsConfiguration: UInt8 = 9
        public static let etsRecommendation: UInt8 = 10
        public static let pfcConfiguration: UInt8 = 11
        public static let applicationPriority: UInt8 = 12
        public static let cdcp: UInt8 = 0x0e
    }

    /// 802.1 subtype 1: the port's untagged VLAN (0 = none).
    case portVLANID(UInt16)
    /// 802.1 subtype 3: a VLAN and its name (0–32 octets).
    case vlanName(vid: UInt16, name: LLDPText)
    /// 802.1 subtype 9 (802.1Qaz DCBX).
    case etsConfiguration(ETSConfiguration)
    /// 802.1 subtype 10 (802.1Qaz DCBX).
    case etsRecommendation(ETSTables)
    /// 802.1 subtype 11 (802.1Qaz DCBX).
    case pfcConfiguration(PFCConfiguration)
    /// 802.1 subtype 12 (802.1Qaz DCBX).
    case applicationPriority(ApplicationPriority)
    /// 802.1 subtype 0x0E (802.1Qbg CDCP: S-channels).
    case cdcp(CDCPTLV)
    /// Any other OUI or subtype (0–507 octets of information).
    case unknown(oui: UInt32, subtype: UInt8, value: [UInt8])

    /// The OUI and subtype on the wire.
    public var key: (oui: UInt32, subtype: UInt8) {
        switch self {
        case .portVLANID: (Self.ieee8021, Subtype.portVLANID)
        case .vlanName: (Self.ieee8021, Subtype.vlanName)
        case .etsConfiguration: (Self.ieee8021, Subtype.etsConfiguration)
        case .etsRecommendation: (Self.ieee8021, Subtype.etsRecommendation)
        case .pfcConfiguration: (Self.ieee8021, Subtype.pfcConfiguration)
        case .applicationPriority: (Self.ieee8021, Subtype.applicationPriority)
        case .cdcp: (Self.ieee8021, Subtype.cdcp)
        case .unknown(let oui, let subtype, _): (oui, subtype)
        }
    }
}
