import Console
import Foundation

/// `show virt vmmanager`: the VM manager connections, their state and inventory size,
/// and the hosts bound to ports without a connection.
struct VirtVMManagerReport: ShowReport {
    struct Host: Encodable {
        var host: String
        /// Found by `virt vmmanager discover lldp`, not configured.
        var discovered: Bool
        /// `connecting`, `up` or `down`.
        var state: String
        var since: Date?
        var hostname: String?
        var domains: Int
        var runningDomains: Int
        /// Its inventory is kept from a connection that is down.
        var stale: Bool
        /// The server ports the host is behind.
        var ports: [String]
        var uri: String
        /// While not up: the last error and when the next attempt is.
        var error: String?
        var retryInSeconds: Int?
        var lastEvent: String?
        var lastEventTime: Date?
    }

    /// A `virt vmmanager host NAME port P` without a URI: bound, not connected.
    struct BoundHost: Encodable {
        var host: String
        var ports: [String]
    }

    var connections: Int
    var connectionsUp: Int
    var publishMetadata: Bool
    /// The `discover lldp` URI template; absent when discovery is off.
    var discoveryTemplate: String?
    var preprovisionedArrivals: Int
    var hosts: [Host]
    var unconnectedHosts: [BoundHost]

    init(_ sw: VMreadySwitch) {
        let settings = sw.state.withLock { $0.vmManager }
        let (inventory, preprovisioned) = sw.vmManager.state.withLock { ($0.inventory, $0.preprovisioned) }
        connections = inventory.hosts.count
        connectionsUp = inventory.hosts.values.filter(\.isCurrent).count
        publishMetadata = settings.publish
        discoveryTemplate = settings.discoveryTemplate
        preprovisionedArrivals = preprovisioned
        let ports = sw.vmManager.portsByHost()
        hosts = inventory.hosts.sorted(by: { $0.key < $1.key }).map { name, host in
            let event = host.lastEvent.flatMap { event in host.lastEventTime.map { (event, $0) } }
            return Host(host: name, discovered: host.discovered, state: host.state.rawValue, since: host.since, hostname: host.hostname,
                        domains: host.domains.count, runningDomains: host.domains.values.filter(\.state.isActive).count,
                        stale: !host.isCurrent && !host.domains.isEmpty, ports: Set(ports[name] ?? []).sorted().map(String.init),
                        uri: host.uri, error: host.isCurrent ? nil : host.lastError,
                        retryInSeconds: host.isCurrent || host.lastError == nil ? nil : host.retryInSeconds,
                        lastEvent: event?.0, lastEventTime: event?.1)
        }
        unconnectedHosts = settings.hosts.sorted(by: { $0.key < $1.key }).filter { $0.value.uri == nil && inventory.hosts[$0.key] == nil }
            .map { BoundHost(host: $0.key, ports: $0.value.ports.sorted().map(String.init)) }
    }

    var lines: [String] {
        var out = ["VM managers: \(connections) connection(s), \(connectionsUp) up; "
                   + "metadata publishing \(publishMetadata ? "on" : "off"); "
                   + "discovery \(discoveryTemplate.map { "lldp \"\($0)\"" } ?? "off")"]
        // How long each took is the benchmark's business (`vmm.event_to_policy_us`).
        if preprovisionedArrivals > 0 { out.append("Arrivals pre-provisioned: \(preprovisionedArrivals)") }
        for host in hosts {
            var line = "\(host.host)\(host.discovered ? " (discovered)" : ""): \(host.state)"
            if let since = host.since { line += " since \(EventLog.stamp(since))" }
            if let hostname = host.hostname { line += ", hostname \(hostname)" }
            line += ", \(host.domains) domain\(host.domains == 1 ? "" : "s") (\(host.runningDomains) running)"
            if host.stale { line += ", stale" }
            line += host.ports.isEmpty ? ", behind no port" : ", behind port " + Self.portList(host.ports)
            out.append(line)
            out.append("    uri \(host.uri)")
            if let error = host.error {
                out.append("    error: \(error)" + (host.retryInSeconds.map { "; retry in \($0) s" } ?? ""))
            }
            if let event = host.lastEvent, let time = host.lastEventTime {
                out.append("    last event: \(event) at \(EventLog.stamp(time))")
            }
        }
        for host in unconnectedHosts {
            out.append("\(host.host): no connection (bound to port \(Self.portList(host.ports)))")
        }
        return out
    }

    /// `1-3,5`, as the running-config writes port lists.
    static func portList(_ ports: [String]) -> String { VirtSupport.portList(Set(ports.compactMap { Int($0) })) }
}
