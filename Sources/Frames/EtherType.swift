/// EtherType values the switch recognises.
///
/// Inlinable constants rather than stored globals: the forwarding path in another
/// module compares against them per frame, and a stored global would be read through
/// its accessor.
public enum EtherType {
    /// IPv4.
    @inlinable public static var ipv4: UInt16 { 0x0800 }
    /// ARP.
    @inlinable public static var arp: UInt16 { 0x0806 }
    /// Reverse ARP, used by hypervisors to announce a migrated VM.
    @inlinable public static var rarp: UInt16 { 0x8035 }
    /// IEEE 802.1Q customer VLAN tag (C-tag).
    @inlinable public static var vlan: UInt16 { 0x8100 }
    /// IEEE 802.1ad service VLAN tag (S-tag, Q-in-Q).
    @inlinable public static var serviceVLAN: UInt16 { 0x88a8 }
    /// IPv6.
    @inlinable public static var ipv6: UInt16 { 0x86dd }
    /// LLDP, sent to a reserved link-local group address.
    @inlinable public static var lldp: UInt16 { 0x88cc }
    /// ECP (802.1Qbg Edge Control Protocol), which carries VDP.
    @inlinable public static var ecp: UInt16 { 0x8940 }
}
