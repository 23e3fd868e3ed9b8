import CommandEngine
import Console
import Dataplane
import RunningConfig
import Virtualization

/// `show virt vm|vmgroup|vmprofile|oui|port|migrations|summary`.
enum VirtShowCommands: SwitchFeature {
    static func addHandlers(_ sw: VMreadySwitch, to t: inout HandlerTable) {
        t.on(.showVirtVM) { args, ctx in
            let (s, vms, resolution) = sw.virtView()
            let verbose = args.v
            var rows = VirtReport.rows(s, vms: vms, resolution: resolution)
            if verbose {
                sw.vmManager.drain()
                let managed = sw.vmManager.descriptions()
                for index in rows.indices { rows[index].managed = managed[rows[index].mac] }
            }
            ctx.show(VirtVMReport(rows, verbose: verbose, virtEnabled: s.virt.enabled))
        }
        t.on(.showVirtVMGroup) { args, ctx throws(CommandFailure) in
            let (s, vms, resolution) = sw.virtView()
            let only = args.group
            if let only, s.virt.groups[only] == nil { throw CommandFailure("VM group \(only) does not exist") }
            ctx.show(VirtVMGroupReport(s, only: only, vms: vms, resolution: resolution))
        }
        t.on(.showVirtVMProfile) { args, ctx throws(CommandFailure) in
            let s = sw.state.withLock { $0 }
            let only = args.profile
            if let only, s.virt.profiles[only] == nil { throw CommandFailure("VM profile \(only) does not exist") }
            ctx.show(VirtVMProfileReport(s, only: only))
        }
        t.on(.showVirtOUI) { _, ctx in
            ctx.show(VirtOUIReport(sw.state.withLock { $0.virt.ouiTable }))
        }
        t.on(.showVirtPort) { args, ctx throws(CommandFailure) in
            let ports = try InterfaceCommands.validPorts(sw, args.ports)
            let (s, vms, resolution) = sw.virtView()
            ctx.show(VirtPortReport(s, ports: ports, vms: vms, resolution: resolution))
        }
        t.on(.showVirtSummary) { _, ctx in
            sw.settle()
            let s = sw.state.withLock { $0 }
            ctx.show(VirtSummaryReport(s, vms: sw.vms, learning: sw.learning, stations: sw.dataplane.stationTableStatistics()))
        }
        t.on(.showVirtMigrations) { _, ctx in
            sw.settle()
            ctx.show(VirtMigrationsReport(sw.vms.migrations(), total: sw.vms.totalMoves))
        }
    }
}

extension VMreadySwitch {
    /// The configuration, the known VMs and what the groups resolve to, after every VM
    /// event so far was handled (so a `show` right after traffic sees its effects).
    func virtView() -> (SwitchState, [VMEntry], VMPolicyResolution) {
        settle()
        let s = state.withLock { $0 }
        let vms = s.virt.enabled ? vms.entries() : []
        // With the VM managers' names: a `vm NAME` member shows as the VMs it names.
        return (s, vms, VMPolicyResolution(s.effectiveVirt(), vms: vms))
    }

    /// Waits until the VM events queued so far are handled, and the control plane has
    /// handled the frames punted so far.
    public func settle() {
        vmEvents.drain()
        if learning.hasPending { VMEventWorker.drain(self) }
        // What the VM managers made of them (verdicts, names).
        vmManager.drain()
        // Punted frames and configuration changes handled, LLDP's snapshot current.
        controlPlane.step()
        // What VDP did in that step, in the VM layer.
        vdpQueue.sync {}
        // The policy database's answers that have come (it is not waited for).
        policyDB.drain()
    }
}

extension VirtShowCommands {
    /// Show and exec commands only: nothing in the running configuration.
    static func stanzas(_: SwitchState) -> [ConfigStanza] { [] }
}
