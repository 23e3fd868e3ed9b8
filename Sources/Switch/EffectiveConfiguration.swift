import Dataplane
import Foundation
import Frames
import SwitchTypes
import Virtualization

extension SwitchState {
    /// The configuration the forwarding engine runs: the operator's bridge configuration
    /// with VMready's computed effects laid over it — err-disabled ports down, VM groups'
    /// static ports in their VLANs, and the server ports where station policies apply.
    /// None of this is written back into `bridge`, so it never shows in the running-config
    /// as port configuration. The station policies themselves are not in it: the VM table
    /// installs them one station at a time as they change (`VMTable.setPolicySink`).
    func effectiveConfiguration() -> BridgeConfiguration {
        var effective = bridge
        for port in errDisabled.keys where effective.isValidPort(port) { effective[port: port].isEnabled = false }
        restrictToCDCPAssignments(&effective)
        applyVMCheckBlocks(&effective)
        applyReflectiveRelay(&effective)
        // Only VM MACs interest the VM layer: other new stations cost it nothing.
        effective.reportedOUIs = virt.enabled ? Set(virt.ouiTable.entries.map(\.oui)) : []
        guard virt.enabled else { return effective }
        for group in virt.groups.values.sorted(by: { $0.number < $1.number }) {
            guard let vlan = virt.effectiveVLAN(of: group), bridge.vlans.contains(vlan) else { continue }
            for port in group.ports.sorted() where effective.isValidPort(port) {
                Self.addStaticMember(&effective[port: port], vlan: vlan, tagged: group.tagged)
            }
        }
        // VSIs' policies apply on the ports VDP runs on too.
        let vdpPorts = evb.portProfiles.filter { evb.profiles[$0.value]?.vsiDiscovery == true }.keys
        effective.stationPolicyPorts = virt.serverPorts.union(vdpPorts).filter { effective.isValidPort($0) }
        return effective
    }

    /// The VMready configuration the VM table runs: `vm NAME` members stand for the MACs
    /// the VM managers report for that domain name (a MAC member of another group keeps
    /// its group: the name adds only what no group claims).
    func effectiveVirt() -> VirtConfiguration {
        guard !vmManagerNames.isEmpty || !vsiBindings.isEmpty || !policyDBAssignments.isEmpty else { return virt }
        var effective = virt
        // The database's profiles first: VSI types and assignments name them.
        applyPolicyDBProfiles(&effective)
        let vsiGroups = applyVSIGroups(&effective)
        for (reference, group) in virt.memberGroups.entries {
            guard case .name(let name) = reference, let macs = vmManagerNames[name] else { continue }
            for mac in macs where effective.memberGroups[.mac(mac)] == nil {
                try? effective.addMember(.mac(mac), toGroup: group)
            }
        }
        // Last: what the operator's groups (by MAC or by name) and VDP claim stays theirs.
        applyPolicyDBGroups(&effective, from: VMGroup.implicitRange.lowerBound + vsiGroups)
        return effective
    }

    /// A group's static member port carries the group's VLAN: untagged, it becomes the
    /// port's own VLAN (access) or native VLAN (trunk); tagged, an access port becomes a
    /// trunk whose native VLAN is its access VLAN, so its untagged traffic is unchanged.
    static func addStaticMember(_ port: inout PortConfiguration, vlan: UInt16, tagged: Bool) {
        switch (port.mode, tagged) {
        case (.access, false):
            port.accessVLAN = vlan
        case (.access, true):
            port.mode = .trunk
            port.nativeVLAN = port.accessVLAN
            port.trunkAllowedVLANs = VLANSet([port.accessVLAN, vlan])
        case (.trunk, false):
            port.trunkAllowedVLANs.insert(vlan)
            port.nativeVLAN = vlan
        case (.trunk, true):
            port.trunkAllowedVLANs.insert(vlan)
        }
    }
}

extension VMreadySwitch {
    /// Publishes what `s` means for forwarding when it differs from what was last
    /// published, and brings the VM table in line (it re-resolves only what the change
    /// touched and hands the policy changes to the dataplane itself). Called under the
    /// state lock.
    func publish(_ s: inout SwitchState) throws(BridgeConfigurationError) {
        var effective = s.effectiveConfiguration()
        effective.puntEtherTypes = puntEtherTypes
        if effective != s.published {
            try dataplane.apply(effective)
            s.published = effective
        }
        let lldpSettings = s.lldpSettings(effective: effective, systemMAC: systemMAC, version: Self.version)
        if lldpSettings != s.publishedLLDP {
            lldp.configure(lldpSettings)
            controlPlane.wake()
            s.publishedLLDP = lldpSettings
        }
        let evbSettings = s.evbSettings(effective: effective, systemMAC: systemMAC)
        if evbSettings != s.publishedEVB {
            evb.configure(evbSettings)
            controlPlane.wake()
            s.publishedEVB = evbSettings
        }
        let types = s.vsiTypeDatabase
        if types != s.publishedVSITypes {
            evb.setTypes(types)
            s.publishedVSITypes = types
        }
        let down = Set((1...effective.portCount).filter { !effective[port: $0].isEnabled })
        let conflicts = vms.reconfigure(s.effectiveVirt(), vlans: Set(s.bridge.vlans.existing.members),
                                        trustedPorts: s.virt.vmcheck.trustedPorts, downPorts: down)
        // Stamped with the switch clock, as the detections that cause them are.
        let now = dataplane.clock.now()
        let date = Date(timeIntervalSince1970: Double(now.nanoseconds) / 1e9)
        for conflict in conflicts { eventLog.log(.warning, "virt", conflict.message, at: date) }
        // Remote syslog's senders start and stop their own threads; nothing here connects.
        logSinks.apply(s.logging, hostname: s.hostname, to: eventLog)
        // Connections, bindings, checks and groups may have changed: queued, never waited for.
        vmManager.configurationChanged()
        policyDB.configurationChanged()
        SNMPSubagent.shared.configure(for: self, socket: s.snmp.agentxSocket)
    }

    /// Hands the VM table's policy changes to the forwarding engine (called under the
    /// table's lock, so changes arrive in the order they were decided; never waits).
    static func install(_ changes: VMPolicyChanges, on dataplane: ForwardingEngine) {
        do {
            try dataplane.updateStationPolicies(changes.policies)
        } catch {
            // The VM layer only sends policies for VLANs that exist and ports it was given.
            assertionFailure("station policies refused: \(error)")
        }
        guard !changes.staleEntries.isEmpty else { return }
        let stale = changes.staleEntries
        dataplane.perform { pipeline in
            for (mac, vlan) in stale { _ = pipeline.macTable.removeDynamic(mac, vlan: vlan) }
        }
    }
}
