import Dataplane
import Frames
import Protocols

extension SwitchState {
    /// What the LLDP agent runs from: the operator's LLDP and DCBX settings, and what the
    /// rest of the configuration says about the switch and its ports — the hostname, each
    /// port's description, untagged VLAN and VLANs with their names, and whether it is up
    /// in `effective` (shut down or err-disabled ports are down).
    func lldpSettings(effective: BridgeConfiguration, systemMAC: MACAddress, version: String) -> LLDPSettings {
        var settings = LLDPSettings(chassisMAC: systemMAC, portCount: effective.portCount)
        settings.enabled = lldp.enabled
        settings.refreshInterval = lldp.refreshInterval
        settings.holdtimeMultiplier = lldp.holdtimeMultiplier
        settings.reinitDelay = lldp.reinitDelay
        settings.managementAddress = lldp.managementAddress
        settings.systemName = hostname
        settings.systemDescription = "VMready \(version)"
        settings.dcbx = dcbx.global
        for index in settings.ports.indices {
            let port = effective[port: index + 1]
            var local = LLDPPort()
            local.adminStatus = lldp.adminStatus[index]
            local.advertised = lldp.advertised[index]
            local.isUp = port.isEnabled
            local.description = descriptions[index] ?? ""
            local.dcbx = dcbx.ports[index]
            local.cdcp = cdcpOffer(port: index + 1)
            local.evb = evbBridgeSettings(port: index + 1)
            let carried: [UInt16]
            switch port.mode {
            case .access:
                carried = [port.accessVLAN]
                local.portVLANID = port.accessVLAN
            case .trunk:
                carried = port.trunkAllowedVLANs.intersection(effective.vlans.existing).members
                // A trunk that does not carry its native VLAN sends nothing untagged.
                local.portVLANID = port.trunkAllowedVLANs.contains(port.nativeVLAN) ? port.nativeVLAN : 0
            }
            local.vlanNames = carried.filter { effective.vlans.contains($0) }.map { ($0, effective.vlans.name(of: $0)) }
            settings.ports[index] = local
        }
        return settings
    }
}
