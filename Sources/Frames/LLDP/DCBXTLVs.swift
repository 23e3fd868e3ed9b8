/// The 802.1Qaz DCBX values carried in 802.1 organizationally specific TLVs (OUI 00-80-C2).

/// Transmission selection algorithms (802.1Qaz Table D-9).
public enum TransmissionSelection {
    public static let strictPriority: UInt8 = 0
    public static let creditBasedShaper: UInt8 = 1
    public static let enhancedTransmissionSelection: UInt8 = 2
    public static let vendorSpecific: UInt8 = 255
}

/// The tables ETS Configuration and ETS Recommendation share (802.1Qaz D.2.9, D.2.10).
///
/// Each table has exactly eight entries; the initializer traps on another count (a programming
/// error), and the decoder always builds eight.
public struct ETSTables: Hashable, Sendable {
    /// Traffic class of priorities 0–7, each 0–15 (four bits on the wire).
    public let priorityTrafficClass: [UInt8]
    /// Bandwidth percentage of traffic classes 0–7.
    public let trafficClassBandwidth: [UInt8]
    /// Transmission selection algorithm of traffic classes 0–7 (`TransmissionSelection`).
    public let trafficClassAlgorithm: [UInt8]

    public init(priorityTrafficClass: [UInt8], trafficClassBandwidth: [UInt8], trafficClassAlgorithm: [UInt8]) {
        precondition(priorityTrafficClass.count == 8 && trafficClassBandwidth.count == 8
                     && trafficClassAlgorithm.count == 8, "ETS tables have eight entries")
        precondition(priorityTrafficClass.allSatisfy { $0 < 16 }, "a traffic class is four bits")
        self.priorityTrafficClass = priorityTrafficClass
        self.trafficClassBandwidth = trafficClassBandwidth
        self.trafficClassAlgorithm = trafficClassAlgorithm
    }
}

/// ETS Configuration TLV (subtype 9): the sender's own ETS parameters.
public struct ETSConfiguration: Hashable, Sendable {
    /// The sender accepts the peer's recommendation.
    public var willing: Bool
    /// The sender supports the credit-based shaper algorithm.
    public var creditBasedShaper: Bool
    /// Traffic classes supported, 1–8 (8 travels as 0 in three bits).
    public var maxTrafficClasses: UInt8
    public var tables: ETSTables

    public init(willing: Bool, creditBasedShaper: Bool, maxTrafficClasses: UInt8, tables: ETSTables) {
        precondition((1...8).contains(maxTrafficClasses), "1 to 8 traffic classes")
        self.willing = willing
        self.creditBasedShaper = creditBasedShaper
        self.maxTrafficClasses = maxTrafficClasses
        self.tables = tables
    }
}

/// PFC Configuration TLV (subtype 11).
public struct PFCConfiguration: Hashable, Sendable {
    /// The sender accepts the peer's configuration.
    public var willing: Bool
    /// MACsec bypass capability: the sender cannot bypass MACsec for PFC frames.
    public var macsecBypassCapability: Bool
    /// How many priorities may have PFC enabled at once, 0–15 (four bits).
    public var capability: UInt8
    /// Bit n set: PFC enabled on priority n.
    public var enabled: UInt8

    public init(willing: Bool, macsecBypassCapability: Bool, capability: UInt8, enabled: UInt8) {
        precondition(capability < 16, "PFC capability is four bits")
        self.willing = willing
        self.macsecBypassCapability = macsecBypassCapability
        self.capability = capability
        self.enabled = enabled
    }
}

/// One entry of the Application Priority TLV (subtype 12): frames of `protocolID`, as
/// `selector` reads it, get `priority`.
public struct ApplicationPriorityEntry: Hashable, Sendable {
    /// Selector values (802.1Qaz Table D-10).
    public enum Selector {
        public static let etherType: UInt8 = 1
        public static let tcpSCTPPort: UInt8 = 2
        public static let udpDCCPPort: UInt8 = 3
        public static let tcpSCTPUDPDCCPPort: UInt8 = 4
        public static let dscp: UInt8 = 5
    }

    /// Priority 0–7 (three bits).
    public var priority: UInt8
    /// `Selector`, three bits.
    public var selector: UInt8
    /// An EtherType, a port number or a DSCP value.
    public var protocolID: UInt16

    public init(priority: UInt8, selector: UInt8, protocolID: UInt16) {
        precondition(priority < 8 && selector < 8, "priority and selector are three bits")
        self.priority = priority
        self.selector = selector
        self.protocolID = protocolID
    }
}

/// The Application Priority TLV: the willing bit lives in the other DCBX TLVs, so its
/// reserved octet carries nothing (kept zero on the wire).
public struct ApplicationPriority: Hashable, Sendable {
    /// At most 168 entries fit in a TLV (507 octets after the OUI and subtype, minus one).
    public static let maxEntries = 168

    public var entries: [ApplicationPriorityEntry]

    public init(entries: [ApplicationPriorityEntry]) { self.entries = entries }
}
