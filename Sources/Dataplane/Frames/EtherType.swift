/// EtherType values the dataplane recognises.
public enum EtherType {
    /// IPv4.
    public static let ipv4: UInt16 = 0x0800
    /// ARP.
    public static let arp: UInt16 = 0x0806
    /// Reverse ARP, used by hypervisors to announce a migrated VM.
    public static let rarp: UInt16 = 0x8035
    /// IEEE 802.1Q customer VLAN tag (C-tag).
    public static let vlan: UInt16 = 0x8100
    /// IEEE 802.1ad service VLAN tag (S-tag, Q-in-Q).
    public static let serviceVLAN: UInt16 = 0x88a8
    /// IPv6.
    public static let ipv6: UInt16 = 0x86dd
    /// LLDP, sent to a reserved link-local group address.
    public static let lldp: UInt16 = 0x88cc
}
