/// The CDCP TLV (IEEE 802.1Qbg-2012 clause 49, 802.1Q-2022 D.2.13: OUI 00-80-C2, subtype
/// 0x0E), which a station and a bridge exchange on the nearest-customer-bridge agent to agree
/// on S-channels: the station lists the channels it wants (SCIDs, S-VID 0), the bridge
/// answers with the S-VID it gives each.
///
/// Wire (after OUI and subtype): Role (1 bit: 0 bridge, 1 station), 3 reserved, SComp
/// (1 bit: an S-VLAN component is present), 15 reserved, ChnCap (12 bits: how many channels
/// the sender supports), then one 3-octet SCID (12 bits) / SVID (12 bits) pair per channel.
public struct CDCPTLV: Hashable, Sendable {
    public enum Role: UInt8, Hashable, Sendable {
        case bridge = 0
        case station = 1
    }

    /// One S-channel: its identifier (SCID 1 is the default channel) and its S-VID (0 while
    /// the station asks).
    public struct Channel: Hashable, Sendable {
        public var scid: UInt16
        public var svid: UInt16

        public init(scid: UInt16, svid: UInt16) {
            self.scid = scid
            self.svid = svid
        }
    }

    /// The most channels one TLV holds: 511 octets, minus OUI, subtype and the four fixed octets, in 3s.
    public static let maxChannels = 167

    public var role: Role
    public var sComponent: Bool
    /// ChnCap, 0-4095.
    public var channelCapacity: UInt16
    public var channels: [Channel]

    public init(role: Role, sComponent: Bool, channelCapacity: UInt16, channels: [Channel]) {
        self.role = role
        self.sComponent = sComponent
        self.channelCapacity = channelCapacity
        self.channels = channels
    }
}
