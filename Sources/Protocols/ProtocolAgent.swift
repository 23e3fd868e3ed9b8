import Frames
import SwitchTypes

/// A control-plane protocol (LLDP, DCBX, ECP/VDP, CDCP), as the control-plane loop runs
/// it: it says which punted frames it wants, takes them one at a time, runs its timers,
/// and says when it next needs to run. Everything it sends, it returns; it never touches
/// a port, a socket, a database or a VM manager itself (those talk to it through queues),
/// so it never blocks the loop and its behaviour is a function of frames and time —
/// deterministic on the virtual clock of a replay.
///
/// Called only on the control-plane loop's thread (or the replaying thread while a
/// capture replays, never both at once), so an agent needs no locking of its own.
public protocol ProtocolAgent: AnyObject {
    /// For `show` and the loop's counters.
    var name: String { get }
    /// The frames it wants punted to it.
    var interest: FrameInterest { get }
    /// A punted frame it asked for: `frame` is the whole Ethernet frame as received on
    /// `port` at switch time `time`. Returns the frames to send in answer.
    func receive(_ frame: UnsafeRawBufferPointer, port: Int, at time: Timestamp) -> [OutboundFrame]
    /// Runs the timers due at `now`. Returns the frames to send.
    func run(at now: Timestamp) -> [OutboundFrame]
    /// When it next needs `run` (nil: only when a frame comes).
    var nextDeadline: Timestamp? { get }
}

/// The punted frames an agent wants: by destination (a protocol's group address) or by
/// EtherType, whichever matches.
public struct FrameInterest: Hashable, Sendable {
    public var destinations: Set<MACAddress>
    public var etherTypes: Set<UInt16>

    public init(destinations: Set<MACAddress> = [], etherTypes: Set<UInt16> = []) {
        self.destinations = destinations
        self.etherTypes = etherTypes
    }

    /// True when `frame` (a whole Ethernet frame) is one of these: its destination is
    /// listed, or its EtherType (the outermost, or inside one 802.1Q/802.1ad tag) is.
    public func matches(_ frame: UnsafeRawBufferPointer) -> Bool {
        guard frame.count >= ParsedFrame.headerLength else { return false }
        if destinations.contains(MACAddress(loadingFrom: frame, atOffset: 0)) { return true }
        var type = frame.loadBigEndianUInt16(at: 12)
        if (type == EtherType.vlan || type == EtherType.serviceVLAN) && frame.count >= 18 {
            type = frame.loadBigEndianUInt16(at: 16)
        }
        return etherTypes.contains(type)
    }

    /// Both sets of frames.
    public func union(_ other: FrameInterest) -> FrameInterest {
        FrameInterest(destinations: destinations.union(other.destinations), etherTypes: etherTypes.union(other.etherTypes))
    }
}

/// A frame an agent sends out of one port, as it is (the dataplane does no VLAN
/// processing on it).
public struct OutboundFrame: Hashable, Sendable {
    public var port: Int
    public var bytes: [UInt8]
    /// Sent even when the port is disabled: LLDP's shutdown LLDPDU is the one case.
    public var evenIfPortDisabled: Bool

    public init(port: Int, bytes: [UInt8], evenIfPortDisabled: Bool = false) {
        self.port = port
        self.bytes = bytes
        self.evenIfPortDisabled = evenIfPortDisabled
    }
}
