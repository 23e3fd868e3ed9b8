import Dataplane
import Foundation
import Frames
import SwitchTypes
import Virtualization

extension SwitchState {
    /// The configuration the forwarding engine runs: the operator's bridge configuration
    /// with VMready's computed effects laid over it — err-disabled ports down, VM groups'
    /// static ports in their VLANs, and a station policy per live member VM. None of this
    /// is written back into `bridge`, so it never shows in the running-config as port
    /// configuration.
    func effectiveConfiguration(vms: [VMEntry]) -> (BridgeConfiguration, VMPolicyResolution) {
        var effective = bridge
        for port in errDisabled.keys where effective.isValidPort(port) { effective[port: port].isEnabled = false }
        let resolution = VMPolicyResolution(virt, vms: vms, previous: published?.stationPolicies ?? [:])
        guard virt.enabled else { return (effective, resolution) }
        for group in virt.groups.values.sorted(by: { $0.number < $1.number }) {
            guard let vlan = virt.effectiveVLAN(of: group), bridge.vlans.contains(vlan) else { continue }
            for port in group.ports.sorted() where effective.isValidPort(port) {
                Self.addStaticMember(&effective[port: port], vlan: vlan, tagged: group.tagged)
            }
        }
        effective.stationPolicies = resolution.stationPolicies.filter { $0.value.vlan == 0 || bridge.vlans.contains($0.value.vlan) }
        effective.stationPolicyPorts = virt.serverPorts.filter { effective.isValidPort($0) }
        return (effective, resolution)
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
    /// published, and brings the VM table's settings in line. Called under the state lock.
    func publish(_ s: inout SwitchState) throws(BridgeConfigurationError) {
        let known = vms.entries()
        let (effective, resolution) = s.effectiveConfiguration(vms: known)
        if effective != s.published {
            try dataplane.apply(effective)
            forgetStaleEntries(of: known, newPolicies: effective.stationPolicies,
                               oldPolicies: s.published?.stationPolicies ?? [:])
            s.published = effective
        }
        if vms.ouiTable != s.virt.ouiTable { vms.setOUITable(s.virt.ouiTable) }
        if vms.serverPorts != s.virt.serverPorts { vms.setServerPorts(s.virt.serverPorts) }
        vms.setEnabled(s.virt.enabled)
        let down = Set((1...effective.portCount).filter { !effective[port: $0].isEnabled })
        vms.setValidation(validated: resolution.validated, trustedPorts: s.virt.vmcheck.trustedPorts, downPorts: down)
        logNewConflicts(resolution.conflicts, &s)
    }

    /// A member that came to name a VM another group holds stays pending (`show virt
    /// vmgroup` says why); the log says so once, when it happens.
    private func logNewConflicts(_ conflicts: [VMMemberConflict], _ s: inout SwitchState) {
        let current = Set(conflicts)
        guard current != s.memberConflicts else { return }
        // Stamped with the switch clock, as the detections that cause it are.
        let now = dataplane.clock.now()
        let date = Date(timeIntervalSince1970: Double(now.nanoseconds) / 1e9)
        for conflict in conflicts where !s.memberConflicts.contains(conflict) {
            eventLog.log(.warning, "virt", conflict.message, at: date)
        }
        s.memberConflicts = current
    }

    /// A VM is detected in its port's VLAN before its group's policy exists; once the policy
    /// puts its frames in the group's VLAN, the entry learned in the old VLAN would keep
    /// sending that VLAN's frames to wherever the VM first was. It goes at once.
    private func forgetStaleEntries(of known: [VMEntry], newPolicies: [MACAddress: StationPolicy],
                                    oldPolicies: [MACAddress: StationPolicy]) {
        let stale = known.compactMap { vm -> (MACAddress, UInt16)? in
            guard let policy = newPolicies[vm.mac], policy.vlan != 0, !policy.tagged, policy.vlan != vm.vlan,
                  oldPolicies[vm.mac]?.vlan != policy.vlan else { return nil }
            return (vm.mac, vm.vlan)
        }
        guard !stale.isEmpty else { return }
        // Not waited for: this runs under the state lock, possibly while a capture replays.
        dataplane.perform { pipeline in
            for (mac, vlan) in stale { _ = pipeline.macTable.removeDynamic(mac, vlan: vlan) }
        }
    }
}
