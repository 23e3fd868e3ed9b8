import Foundation
import Frames
import VMManager

extension VMManagerService {
    /// Per VM MAC the VM managers know: `VM manager: name web01, UUID ..., on hv1, verified`
    /// (the `show virt vm -v` line).
    func descriptions() -> [MACAddress: String] {
        state.withLock { state in
            var out: [MACAddress: String] = [:]
            for (mac, places) in state.inventory.places {
                guard let place = places.first(where: { state.inventory.domain($0)?.state.isActive == true }) ?? places.first,
                      let domain = state.inventory.domain(place) else { continue }
                var text = "VM manager: \(domain.name), UUID \(domain.uuid), on \(place.host) (\(domain.state.rawValue))"
                if let verdict = state.verdicts[mac]?.verdict { text += ", " + VMManagerReport.describe(verdict) }
                out[mac] = text
            }
            for (mac, judged) in state.verdicts where out[mac] == nil {
                out[mac] = "VM manager: " + VMManagerReport.describe(judged.verdict)
            }
            return out
        }
    }
}

/// The text of `show virt vmmanager [vms]` and `show virt vmcheck`.
enum VMManagerReport {
    static func describe(_ verdict: VMVerdict) -> String {
        switch verdict {
        case .unmanaged: "no managed host behind its port"
        case .trusted: "trusted port"
        case .verified(let host, _): "verified (\(host) runs it)"
        case .unverified: "unverified (unknown to the VM managers)"
        case .spoofed(let host): "suspected spoof (\(host) runs it)"
        case .stale: "not judged (stale inventory)"
        }
    }

    static func connections(_ sw: VMreadySwitch) -> [String] {
        let settings = sw.state.withLock { $0.vmManager }
        let (inventory, preprovisioned) = sw.vmManager.state.withLock { ($0.inventory, $0.preprovisioned) }
        var out = ["VM managers: \(inventory.hosts.count) connection(s), \(inventory.hosts.values.filter(\.isCurrent).count) up; "
                   + "metadata publishing \(settings.publish ? "on" : "off"); "
                   + "discovery \(settings.discoveryTemplate.map { "lldp \"\($0)\"" } ?? "off")"]
        // How long each took is the benchmark's business (`vmm.event_to_policy_us`).
        if preprovisioned > 0 { out.append("Arrivals pre-provisioned: \(preprovisioned)") }
        let ports = sw.vmManager.portsByHost()
        for (name, host) in inventory.hosts.sorted(by: { $0.key < $1.key }) {
            let running = host.domains.values.filter(\.state.isActive).count
            var line = "\(name)\(host.discovered ? " (discovered)" : ""): \(host.state.rawValue)"
            if let since = host.since { line += " since \(EventLog.stamp(since))" }
            if let hostname = host.hostname { line += ", hostname \(hostname)" }
            line += ", \(host.domains.count) domain\(host.domains.count == 1 ? "" : "s") (\(running) running)"
            if !host.isCurrent && !host.domains.isEmpty { line += ", stale" }
            let behind = ports[name] ?? []
            line += behind.isEmpty ? ", behind no port" : ", behind port " + VirtSupport.portList(Set(behind))
            out.append(line)
            out.append("    uri \(host.uri)")
            if let error = host.lastError, !host.isCurrent {
                out.append("    error: \(error)" + (host.retryInSeconds.map { "; retry in \($0) s" } ?? ""))
            }
            if let event = host.lastEvent, let time = host.lastEventTime {
                out.append("    last event: \(event) at \(EventLog.stamp(time))")
            }
        }
        for (name, host) in settings.hosts.sorted(by: { $0.key < $1.key }) where host.uri == nil && inventory.hosts[name] == nil {
            out.append("\(name): no connection (bound to port \(VirtSupport.portList(host.ports)))")
        }
        return out
    }

    static func inventory(_ sw: VMreadySwitch, host only: String?) -> [String] {
        let inventory = sw.vmManager.state.withLock { $0.inventory }
        var rows: [[String]] = []
        for (name, host) in inventory.hosts.sorted(by: { $0.key < $1.key }) where only == nil || only == name {
            for domain in host.domains.values.sorted(by: { ($0.name, $0.uuid) < ($1.name, $1.uuid) }) {
                let state = domain.state.rawValue + (host.isCurrent ? "" : " (stale)")
                rows.append([name, domain.name, domain.uuid, state, domain.macs.map(\.description).joined(separator: ",")])
            }
        }
        guard !rows.isEmpty else { return ["No VM is known to the VM managers"] }
        return table(["Host", "Domain", "UUID", "State", "MACs"], rows)
    }

    static func vmcheck(_ sw: VMreadySwitch) -> [String] {
        let (settings, blocks, trusted) = sw.state.withLock { ($0.virt.vmcheck, $0.vmcheckBlocks, $0.virt.vmcheck.trustedPorts) }
        let (verdicts, refused) = sw.vmManager.state.withLock { ($0.verdicts, $0.blocksRefused) }
        var out = ["Advanced validation: action \(settings.advancedAction.rawValue), blocks \(blocks.count) of \(settings.aclsMax) used"
                   + (refused > 0 ? ", \(refused) refused (acls max)" : "")
                   + (trusted.isEmpty ? "" : "; trusted port \(VirtSupport.portList(trusted))")]
        let rows = verdicts.sorted { $0.key < $1.key }.map { mac, judged in
            [mac.description, String(judged.port), judged.verdict.label, detail(judged.verdict)]
        }
        out += rows.isEmpty ? ["No VM has been judged against a VM manager"] : table(["MAC", "Port", "Verdict", "Detail"], rows)
        for (offset, block) in blocks.enumerated() {
            out.append("Blocked: \(block.mac) on port \(block.port) (switch ACL \(257 + offset))")
        }
        return out
    }

    private static func detail(_ verdict: VMVerdict) -> String {
        switch verdict {
        case .verified(let host, let uuid): "\(host) runs it (\(uuid))"
        case .spoofed(let host): "\(host) runs it, not a host behind this port"
        case .unverified: "unknown to every VM manager"
        case .stale: "a host that would decide is down"
        case .trusted, .unmanaged: ""
        }
    }

    /// Columns padded to their widest cell, two spaces apart, with a rule under the titles.
    static func table(_ titles: [String], _ rows: [[String]]) -> [String] {
        let widths = titles.indices.map { column in ([titles] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let text = zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            return String(text.reversed().drop { $0 == " " }.reversed())
        }
        return [line(titles), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
    }
}
