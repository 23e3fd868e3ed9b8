import Frames

/// Everything the EVB agent runs from: per port, whether it runs EVB and with what (`evb
/// profile N` on the port, the profile's `reflective-relay` and `vsi-discovery`). The same
/// `EVBBridgeSettings` go in the port's `LLDPPort.evb`, which puts the EVB TLV in its
/// nearest-customer-bridge LLDPDUs: both agents negotiate from the same two inputs (these
/// and the station's TLV), so they agree without talking to each other.
public struct EVBSettings: Hashable, Sendable {
    /// One port with EVB.
    public struct Port: Hashable, Sendable {
        public var bridge: EVBBridgeSettings
        /// The profile's `vsi-discovery`: VDP answers on this port (else ECP still acks, VDP stays silent).
        public var vsiDiscovery: Bool
        /// VSIs the port holds at most.
        public var maxVSIs: Int
        /// The VLANs the port may carry (nil: any).
        public var allowedVLANs: Set<UInt16>?
        /// Link up and not shut down: a port going down forgets its station and VSIs.
        public var isUp: Bool

        public init(bridge: EVBBridgeSettings = EVBBridgeSettings(), vsiDiscovery: Bool = true, maxVSIs: Int = 256,
                    allowedVLANs: Set<UInt16>? = nil, isUp: Bool = true) {
            self.bridge = bridge
            self.vsiDiscovery = vsiDiscovery
            self.maxVSIs = maxVSIs
            self.allowedVLANs = allowedVLANs
            self.isUp = isUp
        }
    }

    /// The source of every ECPDU (the switch's MAC, as LLDP's).
    public var sourceMAC: MACAddress
    /// Per port (1-based; index 0 is port 1); nil: no EVB on the port.
    public var ports: [Port?]

    public init(sourceMAC: MACAddress, portCount: Int) {
        self.sourceMAC = sourceMAC
        ports = Array(repeating: nil, count: portCount)
    }
}
