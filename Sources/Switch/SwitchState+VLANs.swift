import Console
import Dataplane

extension SwitchState {
    /// `no vlan V`: deletes the VLAN and what names it, or refuses and changes nothing.
    ///
    /// Refused for VLAN 1, a VLAN that does not exist, and a VLAN a VM group, VM profile or
    /// vNIC group names (they would silently lose their VLAN). As ENOS does, ports whose access or
    /// native VLAN it was go back to VLAN 1 and its static MAC entries go with it: the
    /// configuration never names a VLAN that does not exist (other than in trunk allowed
    /// lists, which may), so it always replays.
    mutating func deleteVLAN(_ vid: UInt16) throws(CommandFailure) {
        if vid == 1 { throw CommandFailure("VLAN 1 is the default VLAN and cannot be deleted") }
        try requireVLAN(vid)
        if let group = virt.groups.values.map(\.number).sorted().first(where: { virt.groups[$0]?.vlan == vid }) {
            throw CommandFailure("VLAN \(vid) is used by VM group \(group)")
        }
        if let profile = virt.profiles.keys.sorted().first(where: { virt.profiles[$0]?.vlan == vid }) {
            throw CommandFailure("VLAN \(vid) is used by VM profile \(profile)")
        }
        if let group = vnicGroup(usingVLAN: vid) { throw CommandFailure("VLAN \(vid) is used by vnicgroup \(group)") }
        if let type = evb.vsiTypes.keys.sorted().first(where: { evb.vsiTypes[$0]?.vlan == vid }) {
            throw CommandFailure("VLAN \(vid) is used by VSI type \(type.id) version \(type.version)")
        }
        try refusing { () throws(BridgeConfigurationError) in try bridge.vlans.delete(vid) }
        for port in 1...bridge.portCount {
            if bridge[port: port].accessVLAN == vid { bridge[port: port].accessVLAN = 1 }
            if bridge[port: port].nativeVLAN == vid { bridge[port: port].nativeVLAN = 1 }
        }
        // vNICs' own switchports likewise.
        for (port, settings) in bridge.vnicPorts {
            for (index, vnic) in settings.vnics {
                if vnic.switchport.accessVLAN == vid { bridge.vnicPorts[port]!.vnics[index]!.switchport.accessVLAN = 1 }
                if vnic.switchport.nativeVLAN == vid { bridge.vnicPorts[port]!.vnics[index]!.switchport.nativeVLAN = 1 }
            }
        }
        for entry in bridge.staticMACEntries where entry.vlan == vid {
            bridge.removeStaticMACEntry(mac: entry.mac, vlan: vid)
        }
    }

    /// `name` in `vlan V` mode; nil (`no name`) restores the default name.
    mutating func nameVLAN(_ vid: UInt16, _ name: String?) throws(CommandFailure) {
        // Another session may have deleted the VLAN while this one was in its mode.
        try requireVLAN(vid)
        var table = bridge.vlans
        try? table.setName(nil, of: vid)
        // Naming a VLAN its default name is the same as not naming it: keeps the config minimal.
        let effective = name == table.name(of: vid) ? nil : name
        try refusing { () throws(BridgeConfigurationError) in try bridge.vlans.setName(effective, of: vid) }
    }
}
