/// The System Capabilities TLV (802.1AB-2016 8.5.8): what the system can do and what is on.
public struct LLDPSystemCapabilities: Hashable, Sendable {
    /// Capability bits (802.1AB-2016 Table 8-4), bit 0 = Other.
    public struct Capabilities: OptionSet, Hashable, Sendable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        public static let other = Capabilities(rawValue: 1 << 0)
        public static let repeater = Capabilities(rawValue: 1 << 1)
        /// MAC Bridge component: what the switch advertises.
        public static let bridge = Capabilities(rawValue: 1 << 2)
        public static let wlanAccessPoint = Capabilities(rawValue: 1 << 3)
        public static let router = Capabilities(rawValue: 1 << 4)
        public static let telephone = Capabilities(rawValue: 1 << 5)
        public static let docsisCableDevice = Capabilities(rawValue: 1 << 6)
        public static let stationOnly = Capabilities(rawValue: 1 << 7)
        public static let customerVLANComponent = Capabilities(rawValue: 1 << 8)
        public static let serviceVLANComponent = Capabilities(rawValue: 1 << 9)
        public static let twoPortMACRelay = Capabilities(rawValue: 1 << 10)
    }

    /// What the system supports.
    public var supported: Capabilities
    /// What is enabled; 802.1AB wants a subset of `supported`, but a peer's value is kept as sent.
    public var enabled: Capabilities

    public init(supported: Capabilities, enabled: Capabilities) {
        self.supported = supported
        self.enabled = enabled
    }
}

/// The Management Address TLV (802.1AB-2016 8.5.9).
public struct LLDPManagementAddress: Hashable, Sendable {
    /// How `interfaceNumber` counts (802.1AB-2016 Table 8-5).
    public enum InterfaceNumbering {
        public static let unknown: UInt8 = 1
        public static let ifIndex: UInt8 = 2
        public static let systemPortNumber: UInt8 = 3
    }

    /// The address (1–31 octets after the family octet).
    public var address: LLDPNetworkAddress
    /// The interface numbering subtype (`InterfaceNumbering`), kept as sent.
    public var interfaceNumbering: UInt8
    /// The interface the address belongs to (0 when unknown).
    public var interfaceNumber: UInt32
    /// An SNMP object identifier for the hardware, BER-encoded, 0–128 octets.
    public var objectIdentifier: [UInt8]

    public init(address: LLDPNetworkAddress, interfaceNumbering: UInt8 = InterfaceNumbering.unknown,
                interfaceNumber: UInt32 = 0, objectIdentifier: [UInt8] = []) {
        self.address = address
        self.interfaceNumbering = interfaceNumbering
        self.interfaceNumber = interfaceNumber
        self.objectIdentifier = objectIdentifier
    }
}
