import Console
import Dataplane
import SwitchTypes

/// The vNIC commands' rules (switching.md, "vNICs"). What the bridge refuses on publish
/// (bandwidth over 100 %, a group VLAN in use, a vNIC in two groups, a bad upstream or
/// uplink) it refuses with its own message; what it cannot know is checked here: ports
/// beyond the switch's, VLANs that do not exist, deleting what something still names.
extension SwitchState {
    /// A physical port of this switch (the grammar allows up to 64).
    func requirePort(_ port: Int) throws(CommandFailure) {
        guard bridge.isValidPort(port) else {
            throw CommandFailure("Port \(port) does not exist (ports are 1-\(bridge.portCount))")
        }
    }

    /// Changes vNIC `index` of `port`, creating it (S-VID = index, disabled, 25 %) unless
    /// `create` is false, in which case it must exist.
    mutating func editVNIC(port: Int, index: Int, create: Bool = true,
                           _ change: (inout VNICConfiguration) throws(CommandFailure) -> Void) throws(CommandFailure) {
        try requirePort(port)
        var settings = bridge.vnicPorts[port] ?? VNICPortConfiguration()
        guard var vnic = settings.vnics[index] ?? (create ? VNICConfiguration(index: index) : nil) else {
            throw CommandFailure("vNIC \(BridgePort(port: port, vnic: index)) is not configured")
        }
        try change(&vnic)
        settings.vnics[index] = vnic
        bridge.vnicPorts[port] = settings
    }

    /// `no vnic port P index I`: refused while a vNIC group names the vNIC (the group would
    /// silently lose a member).
    mutating func deleteVNIC(port: Int, index: Int) throws(CommandFailure) {
        try requirePort(port)
        let name = BridgePort(port: port, vnic: index)
        guard bridge.vnicPorts[port]?.vnics[index] != nil else { throw CommandFailure("vNIC \(name) is not configured") }
        if let group = bridge.vnicGroups.keys.sorted().first(where: { bridge.vnicGroups[$0]!.members.contains(name) }) {
            throw CommandFailure("vNIC \(name) is a member of vnicgroup \(group)")
        }
        bridge.vnicPorts[port]?.vnics[index] = nil
        vnicDescriptions[name] = nil
        forgetDefaultVNICPort(port)
    }

    /// `vnic port P mode switch|io-extender` and `... io-extender upstream U`. Switch mode
    /// forgets the upstream; io-extender mode without an upstream is kept only when the port
    /// already has one (the mode cannot exist without it, so the upstream command sets both).
    mutating func setVNICMode(port: Int, _ mode: VNICMode?) throws(CommandFailure) {
        try requirePort(port)
        var settings = bridge.vnicPorts[port] ?? VNICPortConfiguration()
        if let mode {
            if case .ioExtender(let upstream) = mode { try requirePort(upstream) }
            settings.mode = mode
        } else if case .ioExtender = settings.mode {
            // Already an io-extender port: its upstream stays.
        } else {
            throw CommandFailure("Port \(port) needs an upstream for io-extender mode: vnic port \(port) io-extender upstream PORT")
        }
        bridge.vnicPorts[port] = settings
        forgetDefaultVNICPort(port)
    }

    /// A port back at no vNIC and switch mode is no vNIC port: removing its entry keeps the
    /// configuration equal to what replaying its running-config (which shows nothing) gives.
    private mutating func forgetDefaultVNICPort(_ port: Int) {
        if bridge.vnicPorts[port] == VNICPortConfiguration() { bridge.vnicPorts[port] = nil }
    }

    /// Changes vNIC group `number`, creating it (empty, disabled) unless `create` is false.
    mutating func editVNICGroup(_ number: Int, create: Bool = true,
                                _ change: (inout VNICGroup) throws(CommandFailure) -> Void) throws(CommandFailure) {
        guard var group = bridge.vnicGroups[number] ?? (create ? VNICGroup() : nil) else {
            throw CommandFailure("vNIC group \(number) does not exist")
        }
        try change(&group)
        bridge.vnicGroups[number] = group
    }

    /// `no vnic vnicgroup N`: its members go back to their own switchports, its VLAN is free.
    mutating func deleteVNICGroup(_ number: Int) throws(CommandFailure) {
        guard bridge.vnicGroups[number] != nil else { throw CommandFailure("vNIC group \(number) does not exist") }
        bridge.vnicGroups[number] = nil
    }

    /// The vNIC group whose VLAN is `vid`, if any (`no vlan` refuses to delete it).
    func vnicGroup(usingVLAN vid: UInt16) -> Int? {
        bridge.vnicGroups.keys.sorted().first { bridge.vnicGroups[$0]!.vlan == vid }
    }
}
