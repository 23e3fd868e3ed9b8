import Frames
import SwitchTypes

/// One VSI a station announced on a port, as the bridge holds it.
public struct VSI: Hashable, Sendable {
    /// Key of the VSI table: a VSI ID is unique under its manager.
    public struct Key: Hashable, Sendable {
        public var managerID: VDPIdentifier
        public var id: VDPIdentifier

        public init(managerID: VDPIdentifier, id: VDPIdentifier) {
            self.managerID = managerID
            self.id = id
        }
    }

    public enum State: String, Hashable, Sendable {
        case preAssociated = "pre-associated"
        case preAssociatedWithReservation = "pre-associated-rr"
        case associated
    }

    public var port: Int
    public var state: State
    public var managerID: VDPIdentifier
    public var id: VDPIdentifier
    /// The VSI ID format (5: UUID).
    public var idFormat: UInt8
    public var typeID: UInt32
    public var typeVersion: UInt8
    /// What the type database gave (VLAN, profile).
    public var type: VSIType
    public var filterFormat: VSITLV.FilterFormat
    /// The filters as answered: a VID of 0 filled from the type's VLAN.
    public var filters: [VSITLV.Filter]
    /// The last request that named it (a keep-alive is the same request repeated).
    public var lastRefresh: Timestamp

    public var key: Key { Key(managerID: managerID, id: id) }
}

/// What VDP did to a VSI, for the switch to turn into policy (`show logging`, `show virt vm`).
public struct VDPEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case preAssociated
        case preAssociatedWithReservation
        case associated
        /// The station de-associated it.
        case deAssociated
        /// Not refreshed within the keep-alive timeout: removed by the bridge.
        case timedOut
        /// Removed because the port stopped running VDP (link down, profile removed).
        case removed
    }

    public var kind: Kind
    /// The VSI as it was (for a removal: its last state).
    public var vsi: VSI
}
