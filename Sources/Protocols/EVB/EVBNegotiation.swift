import Frames

/// What a bridge port offers a station by EVB (`virt evb profile` on the port, `ecp
/// retransmit-exponent`): the values it advertises and whether it lets the station have
/// reflective relay.
public struct EVBBridgeSettings: Hashable, Sendable {
    /// R: ECP retransmissions before giving up (0-7; lldpad's default 3).
    public var retries: UInt8 = 3
    /// RTE: ECP ack timeout 10 * 2^RTE us (protocols.md: default 14, range 8-20).
    public var retransmitExponent: UInt8 = 14
    /// RWD: the time the bridge may take to answer a VDP request, 10 * 2^RWD us (lldpad's default 20).
    public var resourceWaitDelay: UInt8 = 20
    /// RKA: the keep-alive period the bridge asks for, 10 * 2^RKA us (lldpad's default 20).
    public var reinitKeepAlive: UInt8 = 20
    /// The profile's `reflective-relay`: hairpin allowed when the station asks.
    public var reflectiveRelayAllowed = false

    public static let retransmitExponentRange: ClosedRange<UInt8> = 8...20

    public init(retries: UInt8 = 3, retransmitExponent: UInt8 = 14, resourceWaitDelay: UInt8 = 20,
                reinitKeepAlive: UInt8 = 20, reflectiveRelayAllowed: Bool = false) {
        self.retries = retries
        self.retransmitExponent = retransmitExponent
        self.resourceWaitDelay = resourceWaitDelay
        self.reinitKeepAlive = reinitKeepAlive
        self.reflectiveRelayAllowed = reflectiveRelayAllowed
    }
}

/// The values a port runs ECP and VDP with, once the station's EVB TLV is known: each the
/// larger of the bridge's and the station's (802.1Qbg-2012 D.2.12.7), and reflective relay
/// on only when the station requests it and the bridge allows it.
public struct EVBOperational: Hashable, Sendable {
    public var retries: UInt8
    public var retransmitExponent: UInt8
    public var resourceWaitDelay: UInt8
    public var reinitKeepAlive: UInt8
    /// RRCTR: frames from the port may egress the same port (VEPA hairpin).
    public var reflectiveRelay: Bool
    /// False until a station's EVB TLV came: the values are then the bridge's own.
    public var stationHeard: Bool

    /// 10 * 2^exponent microseconds, in nanoseconds (the unit of every EVB timer).
    public static func nanoseconds(exponent: UInt8) -> Int64 { 10_000 << Int64(min(exponent, 31)) }

    /// ECP's ack timeout.
    public var ackTimeout: Int64 { Self.nanoseconds(exponent: retransmitExponent) }
    /// The station's keep-alive period.
    public var keepAlivePeriod: Int64 { Self.nanoseconds(exponent: reinitKeepAlive) }

    /// How long the bridge keeps a VSI the station stopped refreshing: one keep-alive period
    /// plus a whole ECP delivery attempt (R + 1 ack timeouts), the sum times 1.5 — the shape of
    /// 802.1Qbg-2012's VDP wait timers (a period, ECP's worst delivery time, a margin), built
    /// from RKA because keep-alives are what refresh a VSI; the clause's exact text was not at
    /// hand, so this is the project's reading. RKA 20, R 3, RTE 14: 16.7 s.
    public var keepAliveTimeout: Int64 {
        (keepAlivePeriod + Int64(retries) * ackTimeout + ackTimeout) * 3 / 2
    }
}

/// The EVB TLV exchange, pure: the operational values and the TLV the bridge sends.
public enum EVBNegotiation {
    /// Each value the larger; reflective relay only when requested and allowed. A station TLV
    /// that is not in station mode counts as none.
    public static func operational(bridge: EVBBridgeSettings, station: EVBTLV?) -> EVBOperational {
        guard let station, station.mode == .station else {
            return EVBOperational(retries: bridge.retries, retransmitExponent: bridge.retransmitExponent,
                                  resourceWaitDelay: bridge.resourceWaitDelay, reinitKeepAlive: bridge.reinitKeepAlive,
                                  reflectiveRelay: false, stationHeard: false)
        }
        return EVBOperational(retries: max(bridge.retries & 0x7, station.retries),
                              retransmitExponent: max(bridge.retransmitExponent & 0x1f, station.retransmitExponent),
                              resourceWaitDelay: max(bridge.resourceWaitDelay & 0x1f, station.resourceWaitDelay),
                              reinitKeepAlive: max(bridge.reinitKeepAlive & 0x1f, station.reinitKeepAlive),
                              reflectiveRelay: bridge.reflectiveRelayAllowed
                                  && station.stationStatus.contains(.reflectiveRelayRequested),
                              stationHeard: true)
    }

    /// The bridge's EVB TLV: bridge mode, RRCAP when reflective relay is allowed, RRCTR when
    /// it is on. Before a station is heard it carries the bridge's own values; after, the
    /// operational ones with both ROL bits set and the station's status octet echoed — what
    /// lldpad's own bridge sends (captured, Tests/FramesTests/Corpus/lldpad-evb.hex).
    public static func tlv(bridge: EVBBridgeSettings, station: EVBTLV?) -> EVBTLV {
        let operational = operational(bridge: bridge, station: station)
        var status: EVBTLV.BridgeStatus = bridge.reflectiveRelayAllowed ? .reflectiveRelayCapable : []
        if operational.reflectiveRelay { status.insert(.reflectiveRelayControlled) }
        return EVBTLV(bridgeStatus: status,
                      stationStatus: operational.stationHeard ? station?.stationStatus ?? [] : [],
                      retries: operational.retries, retransmitExponent: operational.retransmitExponent, mode: .bridge,
                      resourceWaitDelayRemote: operational.stationHeard, resourceWaitDelay: operational.resourceWaitDelay,
                      reinitKeepAliveRemote: operational.stationHeard, reinitKeepAlive: operational.reinitKeepAlive)
    }
}
