/// 802.1Qbg's configuration (protocols.md "EVB"): EVB profiles and the ports running them,
/// the local VSI type database, ECP's retransmission exponent.
struct EVBConfiguration: Hashable, Sendable {
    /// `virt evb profile N`: what the hypervisor on a port with this profile may have.
    struct Profile: Hashable, Sendable {
        /// `reflective-relay`: granted when the station asks.
        var reflectiveRelay = false
        /// `vsi-discovery`: VDP runs.
        var vsiDiscovery = false
    }

    /// A VSI type of the database: type ID (24 bits) and version.
    struct VSITypeKey: Hashable, Sendable, Comparable {
        let id: Int
        let version: Int

        static func < (a: VSITypeKey, b: VSITypeKey) -> Bool { (a.id, a.version) < (b.id, b.version) }
    }

    /// What an associated VSI of the type gets.
    struct VSIType: Hashable, Sendable {
        var vlan: UInt16?
        /// A VM profile's name: its shaping and ACLs (and VLAN, when the type names none).
        var profile: String?
    }

    var profiles: [Int: Profile] = [:]
    /// `interface port P` / `evb profile N`.
    var portProfiles: [Int: Int] = [:]
    var vsiTypes: [VSITypeKey: VSIType] = [:]
    /// `ecp retransmit-exponent`: RTE advertised; the ack timeout is 10 * 2^RTE us.
    var retransmitExponent = EVBConfiguration.defaultRetransmitExponent

    static let defaultRetransmitExponent = 14
}
