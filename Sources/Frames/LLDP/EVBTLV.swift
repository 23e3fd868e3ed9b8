/// The EVB TLV (IEEE 802.1Qbg-2012 D.2.12, 802.1Q-2022 D.2.12: OUI 00-80-C2, subtype 0x0D),
/// which an EVB bridge and station exchange on the nearest-customer-bridge agent to agree on
/// reflective relay and on the timers of ECP and VDP.
///
/// Wire (after OUI and subtype, five octets): bridge status (5 reserved bits, BGID, RRCAP,
/// RRCTR), station status (4 reserved, SGID, RRREQ, RRSTAT 2 bits), R (3 bits) and RTE
/// (5), EVB mode (2 bits: 1 bridge, 2 station), ROL and RWD (5), 2 reserved bits, ROL and
/// RKA (5). Each side sends its own values; each uses the larger of the two (D.2.12.7).
///
/// In an `LLDPDU` it travels as `LLDPOrganizationalTLV.unknown(oui: 0x0080c2, subtype: 0x0d, ...)`
/// (`init(_:)` and `organizational` convert), so the switch's exhaustive `show lldp` rendering
/// is untouched until the integration gives it a typed case.
public struct EVBTLV: Hashable, Sendable {
    /// The bridge's status octet. The raw value keeps reserved bits, so a TLV re-encodes as received.
    public struct BridgeStatus: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The bridge supports VDP's group IDs.
        public static let groupID = BridgeStatus(rawValue: 0x04)
        /// RRCAP: the bridge can do reflective relay.
        public static let reflectiveRelayCapable = BridgeStatus(rawValue: 0x02)
        /// RRCTR: the bridge has turned reflective relay on for this port.
        public static let reflectiveRelayControlled = BridgeStatus(rawValue: 0x01)
    }

    /// The station's status octet; RRSTAT is its two low bits (`reflectiveRelayStatus`).
    public struct StationStatus: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The station supports VDP's group IDs.
        public static let groupID = StationStatus(rawValue: 0x08)
        /// RRREQ: the station asks for reflective relay.
        public static let reflectiveRelayRequested = StationStatus(rawValue: 0x04)

        /// RRSTAT: 0 not enabled, 1 unknown, 2 enabled (lldpad also sends 3 before it heard a bridge).
        public var reflectiveRelayStatus: UInt8 { rawValue & 0x3 }
    }

    /// The EVB mode field.
    public enum Mode: UInt8, Hashable, Sendable {
        case notSupported = 0
        case bridge = 1
        case station = 2
        case reserved = 3
    }

    /// The largest R (3 bits) and exponent (5 bits) the fields hold.
    public static let maxRetries: UInt8 = 7
    public static let maxExponent: UInt8 = 31

    public var bridgeStatus: BridgeStatus
    public var stationStatus: StationStatus
    /// R: how many times ECP retransmits an unacknowledged request (0-7).
    public var retries: UInt8
    /// RTE: ECP's acknowledgement timeout is 10 * 2^RTE microseconds (0-31).
    public var retransmitExponent: UInt8
    public var mode: Mode
    /// ROL of RWD: the RWD value is the remote side's (set by lldpad once it heard its peer).
    public var resourceWaitDelayRemote: Bool
    /// RWD: the bridge's resource wait delay, 10 * 2^RWD microseconds (0-31).
    public var resourceWaitDelay: UInt8
    /// ROL of RKA.
    public var reinitKeepAliveRemote: Bool
    /// RKA: the station's keep-alive period, 10 * 2^RKA microseconds (0-31).
    public var reinitKeepAlive: UInt8

    public init(bridgeStatus: BridgeStatus = [], stationStatus: StationStatus = [], retries: UInt8,
                retransmitExponent: UInt8, mode: Mode, resourceWaitDelayRemote: Bool = false, resourceWaitDelay: UInt8,
                reinitKeepAliveRemote: Bool = false, reinitKeepAlive: UInt8) {
        self.bridgeStatus = bridgeStatus
        self.stationStatus = stationStatus
        self.retries = retries
        self.retransmitExponent = retransmitExponent
        self.mode = mode
        self.resourceWaitDelayRemote = resourceWaitDelayRemote
        self.resourceWaitDelay = resourceWaitDelay
        self.reinitKeepAliveRemote = reinitKeepAliveRemote
        self.reinitKeepAlive = reinitKeepAlive
    }

    /// The information after OUI and subtype: exactly five octets.
    public static let informationLength = 5
    /// 802.1's subtype for it.
    public static let subtype: UInt8 = 0x0d

    /// The EVB TLV an organizational TLV holds; nil when it is another one. Throws when it is
    /// one at a length other than five.
    public init?(_ tlv: LLDPOrganizationalTLV) throws(LLDPDecodingError) {
        guard case .unknown(LLDPOrganizationalTLV.ieee8021, Self.subtype, let value) = tlv else { return nil }
        try self.init(information: value)
    }

    /// Decodes the information octets after OUI and subtype.
    public init(information info: [UInt8]) throws(LLDPDecodingError) {
        guard info.count == Self.informationLength else {
            throw .badOrganizationalLength(subtype: Self.subtype, offset: 0, length: info.count + 4)
        }
        self.init(bridgeStatus: BridgeStatus(rawValue: info[0]), stationStatus: StationStatus(rawValue: info[1]),
                  retries: info[2] >> 5, retransmitExponent: info[2] & 0x1f, mode: Mode(rawValue: info[3] >> 6) ?? .reserved,
                  resourceWaitDelayRemote: info[3] & 0x20 != 0, resourceWaitDelay: info[3] & 0x1f,
                  reinitKeepAliveRemote: info[4] & 0x20 != 0, reinitKeepAlive: info[4] & 0x1f)
    }

    /// As it rides an LLDPDU.
    public var organizational: LLDPOrganizationalTLV {
        .unknown(oui: LLDPOrganizationalTLV.ieee8021, subtype: Self.subtype, value: information)
    }

    /// The station's EVB TLV among a neighbour's TLVs (the first valid one), if any.
    public static func first(in tlvs: [LLDPTLV]) -> EVBTLV? {
        for case .organizational(let tlv) in tlvs {
            if let evb = try? EVBTLV(tlv) { return evb }
        }
        return nil
    }

    /// The five information octets; values wider than their field are masked to it.
    public var information: [UInt8] {
        [bridgeStatus.rawValue, stationStatus.rawValue, (retries & 0x7) << 5 | retransmitExponent & 0x1f,
         mode.rawValue << 6 | (resourceWaitDelayRemote ? 0x20 : 0) | resourceWaitDelay & 0x1f,
         (reinitKeepAliveRemote ? 0x20 : 0) | reinitKeepAlive & 0x1f]
    }
}
