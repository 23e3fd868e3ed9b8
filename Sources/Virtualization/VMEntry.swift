import Frames
import SwitchTypes

/// One detected VM (virtual NIC), as `show virt vm` lists it.
public struct VMEntry: Hashable, Sendable {
    /// The indexes a VM may have (and the CLI accepts): they only grow while the table
    /// lives, so they reach well past the table's size.
    public static let indexRange = 0...Int(Int32.max)

    /// The virtual NIC's MAC.
    public var mac: MACAddress
    /// The VM's IPv4 address; `.zero` (shown 0.0.0.0) until learned.
    public var ip: IPv4Address
    /// The port it is behind, 1-based.
    public var port: Int
    /// The vNIC (NIC partition) of `port` it is behind; nil for the physical port itself.
    public var vnic: Int?
    /// The VLAN it was last learned in.
    public var vlan: UInt16
    /// Its index: 0, 1, 2, ... in order of first detection, stable while known.
    public var index: Int
    /// VM, service console or VMkernel interface.
    public var kind: VMKind
    /// The hypervisor vendor owning the MAC's OUI.
    public var vendor: String
    /// When it was first detected.
    public var firstSeen: Timestamp
    /// Its most recent moves, oldest first (bounded by `VMTable.movesPerVM`).
    public var moves: [VMMove]

    /// Creates an entry.
    public init(mac: MACAddress, ip: IPv4Address = .zero, port: Int, vlan: UInt16, index: Int, kind: VMKind,
                vendor: String, firstSeen: Timestamp, moves: [VMMove] = []) {
        self.mac = mac
        self.ip = ip
        self.port = port
        self.vlan = vlan
        self.index = index
        self.kind = kind
        self.vendor = vendor
        self.firstSeen = firstSeen
        self.moves = moves
    }

    /// Where it is, as `show` prints it: "1" or "1.2".
    public var bridgePort: BridgePort { BridgePort(port: port, vnic: vnic) }

    /// The last move, for `show virt vm -v`.
    public var lastMove: VMMove? { moves.last }
}
