import Frames

/// A port's LLDP admin status (`lldp admin-status`).
public enum LLDPAdminStatus: String, Hashable, Sendable, CaseIterable {
    case txRx = "tx_rx"
    case txOnly = "tx_only"
    case rxOnly = "rx_only"
    case disabled

    public var transmits: Bool { self == .txRx || self == .txOnly }
    public var receives: Bool { self == .txRx || self == .rxOnly }
}

/// The optional TLVs a port advertises (`[no] lldp tlv ...`).
public struct LLDPAdvertisedTLVs: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let portDescription = LLDPAdvertisedTLVs(rawValue: 1 << 0)
    public static let systemName = LLDPAdvertisedTLVs(rawValue: 1 << 1)
    public static let systemDescription = LLDPAdvertisedTLVs(rawValue: 1 << 2)
    public static let systemCapabilities = LLDPAdvertisedTLVs(rawValue: 1 << 3)
    public static let managementAddress = LLDPAdvertisedTLVs(rawValue: 1 << 4)
    public static let portVLANID = LLDPAdvertisedTLVs(rawValue: 1 << 5)
    public static let vlanName = LLDPAdvertisedTLVs(rawValue: 1 << 6)
    /// The DCBX TLVs (sent only while `dcbx enable` is on, as the port's `dcbx advertise` asks).
    public static let dcbx = LLDPAdvertisedTLVs(rawValue: 1 << 7)

    /// What a port advertises by default: everything.
    public static let all: LLDPAdvertisedTLVs = [.portDescription, .systemName, .systemDescription, .systemCapabilities,
                                                 .managementAddress, .portVLANID, .vlanName, .dcbx]
}

/// One port as LLDP sees it: its settings and what it advertises about itself.
public struct LLDPPort: Hashable, Sendable {
    public var adminStatus: LLDPAdminStatus = .txRx
    public var advertised: LLDPAdvertisedTLVs = .all
    /// Link up and not shut down (err-disabled counts as down).
    public var isUp = true
    /// The port's description (`description`), empty when none: the TLV is then left out.
    public var description = ""
    /// The port's untagged VLAN (0: none).
    public var portVLANID: UInt16 = 0
    /// The VLANs the port carries, with their names, for the VLAN Name TLVs.
    public var vlanNames: [(vid: UInt16, name: String)] = []
    /// What the port advertises of DCBX and whether it is willing.
    public var dcbx = DCBXSettings.Port()
    /// The S-channels the port gives a station by CDCP (`vnic port P cdcp`); nil: no CDCP,
    /// and no nearest-customer-bridge LLDPDUs.
    public var cdcp: CDCPPort?
    /// What the port offers a station by EVB (`evb profile N`); nil: no EVB TLV. Either this
    /// or `cdcp` makes the port send nearest-customer-bridge LLDPDUs.
    public var evb: EVBBridgeSettings?

    public init() {}

    public static func == (a: LLDPPort, b: LLDPPort) -> Bool {
        a.adminStatus == b.adminStatus && a.advertised == b.advertised && a.isUp == b.isUp && a.description == b.description
            && a.portVLANID == b.portVLANID && a.dcbx == b.dcbx && a.cdcp == b.cdcp && a.evb == b.evb
            && a.vlanNames.elementsEqual(b.vlanNames) { $0.vid == $1.vid && $0.name == $1.name }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(adminStatus)
        hasher.combine(advertised.rawValue)
        hasher.combine(isUp)
        hasher.combine(description)
        hasher.combine(portVLANID)
        hasher.combine(dcbx)
        hasher.combine(cdcp)
        hasher.combine(evb)
        for (vid, name) in vlanNames {
            hasher.combine(vid)
            hasher.combine(name)
        }
    }
}

/// Everything the LLDP agent runs from: the global settings (`lldp ...`), what the switch
/// says about itself, and its ports (1-based; index 0 is port 1).
public struct LLDPSettings: Hashable, Sendable {
    /// `lldp enable` (default on).
    public var enabled = true
    /// `lldp refresh-interval` (msgTxInterval), seconds.
    public var refreshInterval = 30
    /// `lldp holdtime-multiplier`: TTL = refresh interval x multiplier.
    public var holdtimeMultiplier = 4
    /// `lldp reinit-delay`, seconds.
    public var reinitDelay = 2
    /// The Chassis ID (the switch's MAC) and the source of every LLDPDU.
    public var chassisMAC: MACAddress
    public var systemName = ""
    public var systemDescription = ""
    /// `system management-address`.
    public var managementAddress: IPv4Address?
    /// The switch's DCBX values (`dcbx ...`), sent in every port's LLDPDUs that advertise them.
    public var dcbx = DCBXSettings()
    public var ports: [LLDPPort]

    public static let refreshIntervalRange = 5...32_768
    public static let holdtimeMultiplierRange = 2...10
    public static let reinitDelayRange = 1...10

    public init(chassisMAC: MACAddress, portCount: Int) {
        self.chassisMAC = chassisMAC
        ports = Array(repeating: LLDPPort(), count: portCount)
    }

    /// The Time To Live the switch advertises (at most 65,535 s).
    public var timeToLive: UInt16 { UInt16(min(65_535, refreshInterval * holdtimeMultiplier)) }
}
