import Console
import Frames

/// `show virt vmmanager vms [host H]`: every domain the VM managers report, by host.
struct VirtVMManagerVMsReport: ShowReport {
    struct Domain: Encodable {
        var host: String
        var name: String
        var uuid: String
        /// libvirt's state word (`running`, `paused`, `shutoff`, ...).
        var state: String
        /// Kept from a connection that is down.
        var stale: Bool
        var macs: [MACAddress]
    }

    var domains: [Domain]

    init(_ sw: VMreadySwitch, host only: String?) {
        let inventory = sw.vmManager.state.withLock { $0.inventory }
        domains = inventory.hosts.sorted(by: { $0.key < $1.key }).filter { only == nil || only == $0.key }.flatMap { name, host in
            host.domains.values.sorted(by: { ($0.name, $0.uuid) < ($1.name, $1.uuid) }).map { domain in
                Domain(host: name, name: domain.name, uuid: domain.uuid, state: domain.state.rawValue, stale: !host.isCurrent,
                       macs: domain.macs)
            }
        }
    }

    var lines: [String] {
        guard !domains.isEmpty else { return ["No VM is known to the VM managers"] }
        return VMManagerReport.table(["Host", "Domain", "UUID", "State", "MACs"], domains.map { d in
            [d.host, d.name, d.uuid, d.state + (d.stale ? " (stale)" : ""), d.macs.map(\.description).joined(separator: ",")]
        })
    }
}
