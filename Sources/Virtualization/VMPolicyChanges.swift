import Frames
import SwitchTypes

/// What one step of the VM layer changed for the dataplane and the log.
public struct VMPolicyChanges: Sendable {
    /// New policy per MAC (nil: the MAC no longer has one), with the VM's port as the
    /// location hint for a station the dataplane has not placed yet.
    public var policies: [MACAddress: StationPolicy?] = [:]
    /// MAC table entries to forget: a VM that gets a group VLAN was learned in its port's
    /// VLAN first, and that entry would keep sending the old VLAN's frames to where the VM was.
    public var staleEntries: [(mac: MACAddress, vlan: UInt16)] = []
    /// Members that came to name a VM another group holds (logged once, when it happens).
    public var newConflicts: [VMMemberConflict] = []

    public init() {}

    public var isEmpty: Bool { policies.isEmpty && staleEntries.isEmpty && newConflicts.isEmpty }
}
